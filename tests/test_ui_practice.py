"""Pilot tests of the rep's flow: home, brief, practice, scorecard; typing while
the analyser loads; literal text; leaving a session unfinished.

They run on the scripted analyser, except the two end-to-end tests marked
"real analyser", which check what the trained analyser's labels, evidence and
tips do on screen."""

from __future__ import annotations

import threading

from test_ui_support import (
    BAD_TURNS,
    GOOD_TURNS,
    SCENARIO_ID,
    home_loaded,
    memory_store,
    open_scenario,
    say,
    scripted_analyzer,
    settle,
    shared_analyzer,
    type_text,
)

from coach.labels import human
from coach.ui.app import make_app
from coach.ui.screens.brief import BriefScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.practice import BuyerLine, PracticeScreen, RepLine
from coach.ui.screens.scorecard import ScorecardScreen
from coach.ui.widgets.chips import Chips
from coach.ui.widgets.discoveries import DiscoveriesPanel
from coach.ui.widgets.trust import TrustMeter


def _text_of(container) -> str:
    return "\n".join(w.render().plain for w in container.query("Static"))


def _plain(widget) -> str:
    """What a Static shows, as text, whatever Rich renderable it holds."""
    from io import StringIO

    from rich.console import Console

    console = Console(width=widget.size.width or 80, file=StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def _app(store, **kwargs):
    kwargs.setdefault("analyzer", scripted_analyzer())
    return make_app(store=store, rep="alex", seed=0, cursor_blink=False, **kwargs)


async def _one_turn_then_leave(pilot, app) -> int:
    """Open the scenario, say one good turn, leave with escape and confirm; the
    session's id."""
    await open_scenario(pilot)
    await settle(pilot)
    await say(pilot, GOOD_TURNS[0])
    await settle(pilot)
    session_id = app.screen.session.session_id
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)
    return session_id


async def test_home_lists_scenarios_and_filter_narrows_them():
    store = memory_store()
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await home_loaded(pilot)
        ids = [ref.id for ref in home.shown]
        assert SCENARIO_ID in ids and len(ids) >= 2
        await pilot.press("slash", *"outage")
        await pilot.pause()
        assert [ref.id for ref in home.shown] == [SCENARIO_ID]
        await pilot.press("enter")  # from the filter to the list
        await pilot.press("enter")  # start: the brief
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert app.screen.scenario.id == SCENARIO_ID
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_practice_turns_show_chips_and_trust_and_scorecard_matches_store():
    """End to end, on the real analyser."""
    store = memory_store()
    app = _app(store, analyzer=shared_analyzer())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot)
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        await settle(pilot)
        start_trust = screen.query_one("#trust", TrustMeter).value
        assert start_trust == screen.scenario.buyer.trust.start

        await type_text(pilot, GOOD_TURNS[0])
        await pilot.press("enter")
        await settle(pilot)
        await say(pilot, GOOD_TURNS[1])
        await settle(pilot)

        session_id = screen.session.session_id
        stored = store.session(session_id)
        rep_turns = [t for t in stored.turns if t.speaker == "rep"]
        views = list(screen.query(RepLine))
        assert [v.text for v in views] == [t.text for t in rep_turns] == GOOD_TURNS
        for view, turn in zip(views, rep_turns):
            chips = view.query_one(Chips)
            assert chips.pending is None
            assert set(chips.labels) == set(turn.labels)
            rendered = chips.render().plain
            for label in turn.labels:
                assert human(label) in rendered
        assert "open_question" in rep_turns[0].labels
        # Every buyer reply is on screen, and stored as it happened.
        buyer_lines = [t.text for t in stored.turns if t.speaker == "buyer"]
        assert len(list(screen.query(BuyerLine))) == len(buyer_lines) == 3
        trust = screen.query_one("#trust", TrustMeter)
        assert trust.value == screen.session.state.trust == stored.turns[-1].trust
        assert trust.value > start_trust  # good behaviour warms the buyer up
        found = screen.query_one("#discoveries", DiscoveriesPanel).found
        assert found == screen.session.state.discovered
        # The tip box now speaks about the latest turn, not the placeholder.
        assert "Tips on your latest turn" not in screen.query_one("#tip").render().plain

        # End the session: confirm, then the scorecard shows what the store holds.
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        card_screen = app.screen
        stored = store.session(session_id)
        assert stored.status == "finished"
        total = card_screen.query_one("#score-total").render().plain
        assert total.startswith(f"{stored.score:.0f} / 100")
        parts_text = _text_of(card_screen.query_one("#score-parts"))
        for part in stored.scorecard.parts:
            assert part.title in parts_text
            assert f"{part.score:3.0f}" in parts_text
        disc_text = _text_of(card_screen.query_one("#score-discoveries"))
        n_found = len(stored.scorecard.discovered)
        assert f"Discoveries {n_found}/{len(stored.scorecard.topics)}" in disc_text
        for missed in stored.scorecard.missed:
            assert f"✗ {stored.scenario.discovery(missed).topic}" in disc_text
        # Retry starts the same scenario again; home goes back to the list with the score.
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.scores[SCENARIO_ID]["last"] == stored.score


async def test_the_conversation_keeps_its_newest_line_in_view_when_the_terminal_is_resized():
    store = memory_store()
    app = _app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scenario(pilot)
        await settle(pilot)
        for turn in (*GOOD_TURNS, *GOOD_TURNS):
            await say(pilot, turn)
            await settle(pilot)
        conversation = app.screen.query_one("#conversation")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.pause()
        assert conversation.max_scroll_y > 0 and conversation.scroll_y == conversation.max_scroll_y


async def test_bad_turns_lower_trust_and_flag_the_words():
    """End to end, on the real analyser: the tip quotes its evidence."""
    store = memory_store()
    app = _app(store, analyzer=shared_analyzer())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot)
        screen = app.screen
        await settle(pilot)
        start = screen.query_one("#trust", TrustMeter).value
        await say(pilot, BAD_TURNS[0])
        await settle(pilot)
        view = screen.query_one(RepLine)
        labels = set(view.query_one(Chips).labels)
        assert "pitching" in labels or "leading_question" in labels
        assert screen.query_one("#trust", TrustMeter).value < start
        tip = screen.query_one("#tip").render().plain
        # The tip quotes the words that earned the flag.
        quotes = [e.quote for e in screen.session.exchanges[0].analysed.evidence]
        assert any(f"“{q}”" in tip for q in quotes)


async def test_typing_is_possible_while_the_analyser_loads():
    release = threading.Event()

    def slow_load():
        release.wait(30)
        return scripted_analyzer()

    store = memory_store()
    app = make_app(store=store, rep="alex", seed=0, load_analyzer=slow_load, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot)
        await settle(pilot, screen_only=True)  # the session is started; the analyser still loads
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert not screen.engine_ready
        # The buyer's opening is on screen before the analyser is ready...
        assert screen.query_one(BuyerLine).render().plain.endswith(screen.scenario.buyer.opening)
        # ...and the rep can type (key by key) and send: the turn waits in line, visibly...
        await pilot.press(*"Hi Dana", "enter")
        await pilot.pause()
        assert screen.query_one("#rep-input").value == ""
        view = screen.query_one(RepLine)
        assert view.query_one(Chips).pending == "waiting for the analyser…"
        # ...and is already stored: quitting or a crash now loses nothing.
        stored = store.session(screen.session.session_id).turns[-1]
        assert (stored.speaker, stored.text, stored.analysed) == ("rep", "Hi Dana", None)
        assert "Loading the analyser" in screen.query_one("#thinking").render().plain
        release.set()
        await settle(pilot)
        assert view.query_one(Chips).pending is None, [n.message for n in app._notifications]
        assert len(screen.session.exchanges) == 1
        assert app.analyzer_ready_at is not None


async def test_markup_and_escapes_in_turns_are_shown_literally():
    store = memory_store()
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot)
        await settle(pilot)
        await say(pilot, "[red]Is[/red] [bold]this[/] \x1b[31mworking\x07 for you?")
        await settle(pilot)
        shown = app.screen.query_one(RepLine).query_one(".rep-text").render().plain
        assert "[red]Is[/red] [bold]this[/]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "working for you?" in shown


async def test_hint_is_shown_and_recorded():
    store = memory_store()
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot)
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#tip").render().plain.startswith("Hint")
        assert screen.session.hints
        await say(pilot, GOOD_TURNS[0])
        await settle(pilot)
        rep = [t for t in store.session(screen.session.session_id).turns if t.speaker == "rep"]
        assert rep[0].hint is True


async def test_leaving_mid_session_keeps_it_unfinished():
    store = memory_store()
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        session_id = await _one_turn_then_leave(pilot, app)
        row = store.sessions()[0]
        assert row.id == session_id and row.status == "in_progress" and row.rep_turns == 1
        # Home offers to continue it, and c does.
        await home_loaded(pilot)
        home = app.screen
        assert home.scores[SCENARIO_ID]["unfinished"]
        home.query_one("#scenarios").move_cursor(row=next(i for i, r in enumerate(home.shown) if r.id == SCENARIO_ID))
        await pilot.pause()
        assert "c continues it" in home.query_one("#scenario-preview").render().plain
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.session.session_id == session_id
        assert [v.text for v in app.screen.query(RepLine)] == [GOOD_TURNS[0]]
        # The side panels carry on from the stored turns, not from nothing.
        assert "Questions 1" in app.screen.query_one("#metrics").render().plain


async def test_opening_a_scenario_and_leaving_without_a_word_leaves_no_session():
    store = memory_store()
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot)
        await settle(pilot)
        assert len(store.sessions()) == 1  # the buyer's opening is stored as it happens
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert store.sessions() == []
        # quitting the app straight from a silent session leaves nothing either
        await open_scenario(pilot)
        await settle(pilot)
        assert len(store.sessions()) == 1
    assert store.sessions() == []


async def test_palette_carries_the_main_actions():
    store = memory_store()
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Practise: choose a scenario", "Review sessions", "Search transcripts", "Toggle light/dark theme", "Help"):
            assert wanted in titles
        await open_scenario(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "End session" in titles and "Hint" in titles
        dark = app.current_theme.dark
        app.action_toggle_dark()
        await pilot.pause()
        assert app.current_theme.dark is not dark


async def test_the_theme_the_rep_toggles_to_is_handed_over_to_be_saved():
    saved = []
    app = _app(memory_store(), save_theme=saved.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_toggle_dark()
        app.action_toggle_dark()
        await pilot.pause()
    assert saved == ["textual-light", "textual-dark"]


async def test_a_database_error_mid_session_is_shown_and_the_turn_given_back():
    from coach.store import StoreError

    store = memory_store()

    class LockedAfterStart:
        """The real store, until another program locks the file after the session starts."""

        def __getattr__(self, name):
            return getattr(store, name)

        def add_turn(self, session_id, **kwargs):
            if kwargs.get("speaker") == "rep":
                raise StoreError("coach.db: database is locked by another program (waited 5 s); try again when it is done")
            return store.add_turn(session_id, **kwargs)

    app = _app(LockedAfterStart())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot)
        await settle(pilot)
        await say(pilot, GOOD_TURNS[0])
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert screen.query_one(RepLine).query_one(Chips).pending.startswith("not sent")
        assert screen.query_one("#rep-input").value == GOOD_TURNS[0]
        assert any("database is locked" in n.message for n in app._notifications)


class RefusesOneReply:
    """The real store, except that the first buyer reply after the opening is
    refused once, as if another program had locked the file."""

    def __init__(self, store):
        self._store = store
        self._refused = False

    def __getattr__(self, name):
        return getattr(self._store, name)

    def add_turn(self, session_id, **kwargs):
        from coach.store import StoreError

        # (the opening, written when the session starts, goes through)
        if kwargs.get("speaker") == "buyer" and not self._refused and self._store.session(session_id).turns:
            self._refused = True
            raise StoreError("coach.db: database is locked by another program (waited 5 s)")
        return self._store.add_turn(session_id, **kwargs)


async def test_a_reply_the_database_refuses_is_kept_and_saved_with_the_next_turn():
    """The rep's turn is stored, the buyer's reply is not: the exchange stands, the
    rep is warned and not asked to send the turn again, and the reply is written
    before the next turn, so the stored transcript has every turn once, in order."""
    store = memory_store()
    app = _app(RefusesOneReply(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot)
        await settle(pilot)
        await say(pilot, GOOD_TURNS[0])
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert screen.query_one("#rep-input").value == ""
        assert not screen.query_one(RepLine).query_one(Chips).pending
        assert len(screen.query(BuyerLine)) == 2  # the opening and the reply
        assert any("will be saved before your next turn" in n.message for n in app._notifications)
        await say(pilot, GOOD_TURNS[1])
        await settle(pilot)
        sid = screen.session.session_id
    turns = store.session(sid).turns
    assert [t.speaker for t in turns] == ["buyer", "rep", "buyer", "rep", "buyer"]
    assert [t.text for t in turns if t.speaker == "rep"] == GOOD_TURNS[:2]


async def test_a_refused_reply_is_saved_when_the_rep_leaves_instead_of_going_on():
    store = memory_store()
    app = _app(RefusesOneReply(store))
    async with app.run_test(size=(80, 24)) as pilot:
        sid = await _one_turn_then_leave(pilot, app)
    assert [t.speaker for t in store.session(sid).turns] == ["buyer", "rep", "buyer"]


async def test_help_lists_keys_and_every_label():
    from coach.labels import LABELS
    from coach.ui.screens.help import HelpScreen

    app = _app(memory_store())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = _plain(app.screen.query_one("#help-labels"))
        for label in LABELS:
            assert human(label) in shown
        assert "ctrl+e" in _plain(app.screen.query_one("#help-keys"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_metrics_panel_agrees_with_the_chips():
    from coach.ui.widgets.metrics import MetricsPanel

    app = _app(memory_store())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot)
        await settle(pilot)
        for line in GOOD_TURNS + ["So the real damage was to the retail accounts rather than the servers."]:
            await say(pilot, line)
            await settle(pilot)
        screen = app.screen
        chips = [set(v.query_one(Chips).labels) for v in screen.query(RepLine)]
        values = screen.query_one("#metrics", MetricsPanel).values
        assert values["follow_ups"] == sum("follow_up" in c for c in chips)
        assert values["reflections"] == sum("reflection" in c for c in chips)
        text = screen.query_one("#metrics", MetricsPanel).render().plain
        assert f"Follow-ups {values['follow_ups']}" in text


async def test_scorecard_quotes_best_and_weakest_turn_with_reasons_from_the_store():
    from test_ui_support import play_session

    store = memory_store()
    session_id = play_session(store, "alex", GOOD_TURNS + BAD_TURNS[:1], seed=0)
    stored = store.session(session_id)
    rep_texts = {t.text for t in stored.turns if t.speaker == "rep"}
    parts = stored.scorecard.parts
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_scorecard(session_id)
        await pilot.pause()
        shown = _text_of(app.screen.query_one("#score-turns"))
        for heading, which in (("Best turn", "best"), ("Weakest turn", "worst")):
            assert heading in shown
            after = shown.split(heading, 1)[1]
            quoted = after.split("“", 1)[1].split("”", 1)[0]
            assert quoted in rep_texts
            whys = [getattr(p, which).why for p in parts if getattr(p, which) and getattr(p, which).why]
            assert any(w in after for w in whys)


async def test_a_long_note_under_a_turn_is_shown_whole():
    """'stored, not answered...' replaces 'analysing…' under a turn: the note
    takes the rows it needs, not the one row the short note had."""
    from textual.app import App

    from coach.ui.widgets.chips import Chips

    class One(App):
        def compose(self):
            yield Chips(pending="analysing…")

    app = One()
    async with app.run_test(size=(40, 10)) as pilot:
        chips = app.query_one(Chips)
        await pilot.pause()
        assert chips.size.height == 1
        chips.set_pending("stored, not answered (see the error): continue the session later to get a reply")
        await pilot.pause()
        assert chips.size.height >= 2


async def test_a_label_the_buyer_excused_is_not_flagged_as_a_fault():
    """Found practising: a proposal the buyer agreed to, once trust was high,
    was flagged 'pitching' with the tip 'Hold the pitch... until you know what
    matters to them', contradicting the buyer (and the scorecard, which does
    not count a label the buyer excused)."""
    store = memory_store()
    app = _app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scenario(pilot)
        screen = app.screen
        await settle(pilot)
        screen.session.director.state.trust = 90  # value established: qualifying is fair
        await say(pilot, BAD_TURNS[1])  # "What's your budget, and are you the one who signs off?"
        await settle(pilot)
        assert screen.session.exchanges[-1].move.excused == ("self_interested",)
        chips = screen.query_one(RepLine).query_one(Chips)
        assert f"{human('self_interested')}: fine here" in chips.render().plain
        tip = screen.query_one("#tip").render().plain
        assert "Fine here" in tip and "Tip " not in tip
