"""The config file: settings the app saves keep everything else the user wrote."""

from __future__ import annotations

import pytest

from coach.config import ConfigError, load_config, save_setting


def test_saving_the_theme_keeps_other_keys_comments_and_tables(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# who I am\nrep = "Alex Morgan"\ntheme = "textual-dark"\n\n[extra]\ntheme = "kept"\n')
    save_setting("theme", "textual-light", path)
    text = path.read_text()
    assert text.startswith('# who I am\nrep = "Alex Morgan"\ntheme = "textual-light"\n')
    assert '[extra]\ntheme = "kept"' in text
    assert load_config(path).theme == "textual-light" and load_config(path).rep == "Alex Morgan"


def test_saving_into_a_missing_file_creates_it_and_a_new_key_goes_before_tables(tmp_path):
    path = tmp_path / "dir" / "config.toml"
    save_setting("theme", "textual-light", path)
    assert load_config(path).theme == "textual-light"
    path.write_text('rep = "Sam"\n[extra]\nx = 1\n')
    save_setting("theme", "textual-dark", path)
    assert path.read_text() == 'rep = "Sam"\ntheme = "textual-dark"\n[extra]\nx = 1\n'


def test_a_file_that_does_not_parse_is_left_alone_with_a_one_line_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("rep = \n")
    with pytest.raises(ConfigError) as err:
        save_setting("theme", "textual-light", path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert path.read_text() == "rep = \n"
