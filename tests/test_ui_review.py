"""Pilot tests of the manager's flow: the sessions table, transcripts, comments,
trend, search, and unfinished sessions."""

from __future__ import annotations

from test_ui_support import (
    BAD_TURNS,
    GOOD_TURNS,
    REFLECTIONS,
    memory_store,
    play_session,
    scripted_analyzer,
    settle,
    type_text,
    wait_for,
)

from coach.ui.app import make_app
from coach.ui.screens.review import ReviewScreen, SearchScreen
from coach.ui.screens.scorecard import ScorecardScreen
from coach.ui.screens.transcript import TranscriptScreen, TurnItem
from coach.ui.widgets.sparkline import ScoreSparkline


def _store_with_sessions():
    store = memory_store()
    ids = {
        "alex-good": play_session(store, "alex", GOOD_TURNS, seed=1),
        "sam-bad": play_session(store, "sam", BAD_TURNS, seed=2),
        "alex-open": play_session(store, "alex", GOOD_TURNS[:1], seed=3, finish=False),
    }
    return store, ids


def _app(store, rep="morgan"):
    return make_app(store=store, rep=rep, mode="review", analyzer=scripted_analyzer(), cursor_blink=False)


def _rows(screen: ReviewScreen) -> list[int]:
    return [r.id for r in screen.shown]


async def test_review_table_sorts_filters_and_shows_unfinished():
    store, ids = _store_with_sessions()
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # Newest first by default.
        assert _rows(screen) == [ids["alex-open"], ids["sam-bad"], ids["alex-good"]]
        table = screen.query_one("#sessions")
        first = [str(table.get_cell_at((0, c))) for c in range(len(table.columns))]
        assert "unfinished" in first and "alex" in first
        # Flag counts: the pushy session has flags, counted from the stored labels.
        sam = next(r for r in screen.shown if r.id == ids["sam-bad"])
        assert sum(n for l, n in sam.labels.items() if l in ("pitching", "leading_question", "self_interested", "pressure", "checklist")) > 0
        # Filter by rep.
        # (Each key's effect is waited for: under load, Pilot's pause() takes a
        # process starved of CPU for an idle one. Typing began before "f" had
        # moved the focus to the filter, so "s" sorted the table and the sort
        # below went one column too far. A key that does nothing still fails,
        # after the timeout.)
        await pilot.press("f")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#review-filter"), what="the filter box")
        await pilot.press(*"sam")
        await wait_for(pilot, lambda: _rows(screen) == [ids["sam-bad"]], what="the filter by rep")
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(_rows(screen)) == 3, what="the filter cleared")
        # Unfinished only.
        await pilot.press("u")
        await wait_for(pilot, lambda: _rows(screen) == [ids["alex-open"]], what="unfinished only")
        await pilot.press("u")
        await wait_for(pilot, lambda: len(_rows(screen)) == 3, what="all sessions again")
        # Sort: the next column after "when" is the rep (ascending).
        await pilot.press("s")
        await wait_for(pilot, lambda: [r.rep for r in screen.shown] == ["alex", "alex", "sam"], what="the sort by rep")
        # Sorting by score puts the best finished session first.
        while screen.sort_key != "score":
            await pilot.press("s")
        await pilot.pause()
        scores = [r.score for r in screen.shown if r.score is not None]
        assert scores == sorted(scores, reverse=True)


async def test_rep_trend_follows_the_highlighted_row():
    store, ids = _store_with_sessions()
    play_session(store, "alex", GOOD_TURNS + REFLECTIONS[:1], seed=4)
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        spark = screen.query_one("#rep-trend", ScoreSparkline)
        row = screen.shown[screen.query_one("#sessions").cursor_row]
        assert row.rep == "alex"
        assert spark.scores == [t.score for t in store.trend("alex")]
        assert len(spark.scores) == 2
        sam_index = next(i for i, r in enumerate(screen.shown) if r.rep == "sam")
        screen.query_one("#sessions").move_cursor(row=sam_index)
        await pilot.pause()
        assert spark.scores == [t.score for t in store.trend("sam")]


async def test_open_transcript_and_comment_on_a_turn_is_stored():
    store, ids = _store_with_sessions()
    app = _app(store, rep="morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        index = next(i for i, r in enumerate(screen.shown) if r.id == ids["sam-bad"])
        screen.query_one("#sessions").move_cursor(row=index)
        await pilot.press("enter")
        await pilot.pause()
        transcript = app.screen
        assert isinstance(transcript, TranscriptScreen)
        items = list(transcript.query(TurnItem))
        stored = store.session(ids["sam-bad"])
        assert [i.turn.text for i in items] == [t.text for t in stored.turns]
        # Rep turns carry their labels and evidence.
        rep_item = items[1]
        evidence = rep_item.query_one(".turn-evidence").render().plain
        for ev in stored.turns[1].analysed.evidence:
            assert f"“{ev.quote}”" in evidence
        # Comment on the first rep turn.
        await pilot.press("down")
        await pilot.pause()
        assert transcript.query_one("#turns").index == 1
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "Let her answer before pitching [b]please[/b]")
        await pilot.press("enter")
        await pilot.pause()
        comments = store.session(ids["sam-bad"]).comments
        assert len(comments) == 1
        c = comments[0]
        assert c.author == "morgan"
        assert c.text == "Let her answer before pitching [b]please[/b]"
        assert c.turn_id == stored.turns[1].id
        assert c.created_at
        shown = rep_item.query_one(".turn-comments").render().plain
        assert "morgan" in shown and "[b]please[/b]" in shown
        # Escape cancels a comment without storing anything.
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "never mind")
        await pilot.press("escape")
        await pilot.pause()
        assert len(store.session(ids["sam-bad"]).comments) == 1
        # Back in the table, the comment count shows.
        await pilot.press("escape")
        await pilot.pause()
        row = next(r for r in app.screen.shown if r.id == ids["sam-bad"])
        assert row.comment_count == 1


async def test_others_comments_are_shown():
    store, ids = _store_with_sessions()
    turn_id = store.session(ids["alex-good"]).turns[1].id
    store.add_comment(ids["alex-good"], author="jordan", text="Nice open question.", turn_id=turn_id)
    app = _app(store, rep="morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_transcript(ids["alex-good"])
        await pilot.pause()
        item = next(i for i in app.screen.query(TurnItem) if i.turn.id == turn_id)
        shown = item.query_one(".turn-comments").render().plain
        assert "jordan" in shown and "Nice open question." in shown


async def test_only_my_own_comments_are_mine_to_edit_or_delete():
    store, ids = _store_with_sessions()
    sid = ids["alex-good"]
    turn_id = store.session(sid).turns[1].id
    store.add_comment(sid, author="jordan", text="Nice open question.", turn_id=turn_id)
    app = _app(store, rep="Morgan")  # as the README spells names; the store has "morgan" below
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_transcript(sid)
        await pilot.pause()
        await pilot.press("down", "e")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)  # jordan's comment is not offered to Morgan
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert [c.text for c in store.session(sid).comments] == ["Nice open question."]
        store.add_comment(sid, author="morgan", text="Good", turn_id=turn_id)
        app.screen.focus_turn = turn_id
        app.screen.load()
        await pilot.pause()
        await pilot.press("e")  # "morgan" is Morgan, whatever the case
        await pilot.pause()
        assert app.screen.query_one("#comment-input").value == "Good"


async def test_unfinished_session_opens_as_unfinished():
    store, ids = _store_with_sessions()
    app = _app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_transcript(ids["alex-open"])
        await pilot.pause()
        info = app.screen.query_one("#transcript-info").render().plain
        assert "unfinished after 1 rep turn" in info
        assert len(list(app.screen.query(TurnItem))) == 3


async def test_full_text_search_opens_the_turn():
    store, ids = _store_with_sessions()
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "budget")
        await pilot.press("enter")
        await pilot.pause()
        results = app.screen.results
        assert results and all("budget" in r.text.lower() for r in results)
        await pilot.press("enter")
        await settle(pilot)
        transcript = app.screen
        assert isinstance(transcript, TranscriptScreen)
        assert transcript.session_id == results[0].session_id
        highlighted = transcript.query_one("#turns").highlighted_child
        assert highlighted.turn.id == results[0].turn_id


async def test_unfinished_session_can_be_continued_by_its_rep():
    from test_ui_support import say

    from coach.ui.screens.practice import PracticeScreen, RepLine
    from coach.ui.screens.scorecard import ScorecardScreen
    from coach.ui.widgets.trust import TrustMeter

    store, ids = _store_with_sessions()
    before = store.session(ids["alex-open"])
    app = _app(store, rep="alex")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_transcript(ids["alex-open"])
        await pilot.pause()
        assert app.screen.check_action("resume", ()) is True
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        # The earlier turn is back on screen with its labels, and the state matches the stored one.
        views = list(screen.query(RepLine))
        assert [v.text for v in views] == [t.text for t in before.turns if t.speaker == "rep"]
        assert screen.query_one("#trust", TrustMeter).value == before.turns[-1].trust
        await say(pilot, REFLECTIONS[0])
        await settle(pilot)
        after = store.session(ids["alex-open"])
        assert len(after.turns) == len(before.turns) + 2
        assert len(store.sessions()) == 3  # no new session: the same one goes on
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        assert store.session(ids["alex-open"]).status == "finished"


async def test_only_the_sessions_rep_can_continue_it():
    store, ids = _store_with_sessions()
    app = _app(store, rep="morgan")
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_transcript(ids["alex-open"])
        await pilot.pause()
        assert app.screen.check_action("resume", ()) is False
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)


async def test_empty_database_says_so():
    app = _app(memory_store())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.shown == []
        assert "No sessions stored yet" in app.screen.query_one("#rep-trend").render().plain
        await pilot.press("enter")  # nothing to open: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_a_manager_overrides_edits_and_deletes_from_the_transcript():
    store, ids = _store_with_sessions()
    sid = ids["sam-bad"]
    machine = store.session(sid).score
    app = _app(store, rep="morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_transcript(sid)
        await pilot.pause()
        transcript = app.screen
        await pilot.press("down")
        # e and d are offered (in the footer) only on a turn with a comment of mine.
        assert not transcript.check_action("edit_comment", ()) and not transcript.check_action("delete_comment", ())
        await pilot.press("c")
        await type_text(pilot, "Pitch later")
        await pilot.press("enter")
        await pilot.pause()
        assert transcript.check_action("edit_comment", ()) and transcript.check_action("delete_comment", ())
        # e edits my latest comment on the highlighted turn: the old text is offered, the edit stored.
        await pilot.press("e")
        await pilot.pause()
        box = app.screen.query_one("#comment-input")
        assert box.value == "Pitch later"
        box.value = ""
        await type_text(pilot, "Ask before you pitch")
        await pilot.press("enter")
        await pilot.pause()
        [c] = store.session(sid).comments
        assert (c.text, c.edited_by) == ("Ask before you pitch", "morgan")
        shown = transcript.query(TurnItem)[1].query_one(".turn-comments").render().plain
        assert "edited by morgan" in shown and "Ask before you pitch" in shown
        # o: the manager's score, with a reason, beside the machine's.
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"140", "enter", *"x", "enter")
        await pilot.pause()
        assert "0 to 100" in app.screen.query_one("#override-error").render().plain
        app.screen.query_one("#override-score").value = "48"
        app.screen.query_one("#override-reason").value = "Fair given the hostile buyer"
        await pilot.press("enter", "enter")  # the score (focused after the error), then the reason
        await pilot.pause()
        s = store.session(sid)
        assert (s.final_score, s.score, s.overrides[-1].reason) == (48, machine, "Fair given the hostile buyer")
        info = transcript.query_one("#transcript-info").render().plain
        assert "score 48" in info and f"(the machine's: {machine:.0f})" in info
        assert transcript.query_one("#turns").index == 1  # still on the turn
        # d deletes my comment after asking.
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert store.session(sid).comments == ()
        assert not transcript.check_action("edit_comment", ())
        await pilot.press("escape")
        await pilot.pause()
        row = next(r for r in app.screen.shown if r.id == sid)
        assert row.final_score == 48 and row.overridden
        table = app.screen.query_one("#sessions")
        index = app.screen.shown.index(row)
        assert str(table.get_cell_at((index, 3))).strip() == "48*"


async def test_flags_say_what_they_count_and_are_not_cut():
    store, ids = _store_with_sessions()
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        table = screen.query_one("#sessions")
        assert str(table.columns["flags"].label).startswith("Flags: rep turns")
        sam = screen.shown.index(next(r for r in screen.shown if r.id == ids["sam-bad"]))
        cell = str(table.get_cell_at((sam, 5)))
        row = screen.shown[sam]
        # Every flag the session has, each with its count of rep turns; no unexplained total.
        for label, n in row.labels.items():
            if label in ("pitching", "leading_question", "self_interested", "pressure", "checklist"):
                assert f" {n}" in cell
        assert not cell[0].isdigit()
        assert table.columns["flags"].width >= len(cell)
    narrow = _app(store)
    async with narrow.run_test(size=(80, 24)) as pilot:
        table = narrow.screen.query_one("#sessions")
        assert table.columns["flags"].width >= 10
        # At 80 columns every header is whole (the first and the sorted one carry an arrow).
        for key, column in table.columns.items():
            assert len(str(column.label).removesuffix(" ▼")) <= column.width, (key, str(column.label))
        assert str(table.columns["flags"].label) == "Flags: turns"


async def test_a_big_table_shows_the_first_rows_and_the_filter_still_sees_all(monkeypatch):
    from coach.ui.screens import review

    monkeypatch.setattr(review, "MAX_ROWS", 2)
    store, ids = _store_with_sessions()
    app = _app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert [r.id for r in screen.shown] == [ids["alex-open"], ids["sam-bad"]]
        assert screen.query_one("#sessions").row_count == 2
        assert "first 2 of 3 matching" in screen.sub_title
        await pilot.press("f", *"alex")
        await pilot.pause()
        assert [r.id for r in screen.shown] == [ids["alex-open"], ids["alex-good"]]


async def test_a_reviewed_scorecard_leads_with_the_score_in_force_and_offers_no_retry():
    store, ids = _store_with_sessions()
    sid = ids["alex-good"]
    machine = store.session(sid).score
    store.override_score(sid, score=75, reason="Hostile buyer; good recovery", author="maria")
    app = _app(store, rep="morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_transcript(sid)
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, ScorecardScreen)
        total = card.query_one("#score-total").render().plain
        assert total.startswith("75 / 100") and f"maria's score (the machine's: {machine:.0f})" in total
        assert "Hostile buyer; good recovery" in total
        # The trend beside it counts the same score: this session's 75, not the machine's.
        trend = card.query_one("#score-trend")
        assert trend.scores[-1] == 75 and "last 75" in trend.render().plain
        # A part override shows on its part, the machine's beside it.
        part = store.session(sid).scorecard.parts[0]
        store.override_score(sid, part=part.name, score=12, reason="No discovery at all", author="maria")
        app.pop_screen()
        await pilot.press("s")
        await pilot.pause()
        parts = "\n".join(w.render().plain for w in app.screen.query("#score-parts Static"))
        assert f" 12  ×{part.weight:.0%}  ✎ maria's (the machine's: {part.score})" in parts


async def test_a_reviewer_is_not_offered_retry_on_a_scorecard():
    store, ids = _store_with_sessions()
    app = _app(store, rep="morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_scorecard(ids["alex-good"])
        await pilot.pause()
        card = app.screen
        # r would start a practice session in the reviewer's name: not offered, and does nothing.
        footer_keys = [b.key for (_, b, enabled, _) in app.active_bindings.values() if enabled and b.show]
        assert "r" not in footer_keys and "t" in footer_keys
        sessions_before = len(store.sessions())
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is card and len(store.sessions()) == sessions_before
        assert all("Retry" not in c.title for c in card.screen_commands())


async def test_a_rep_still_retries_from_their_scorecard():
    from coach.ui.screens.practice import PracticeScreen

    store, ids = _store_with_sessions()
    app = make_app(store=store, rep="alex", analyzer=scripted_analyzer(), cursor_blink=False)  # practice mode
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_scorecard(ids["alex-good"])
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)


async def test_a_scorecards_turns_are_found_by_the_same_numbers_in_the_transcript():
    """The scorecard counts the rep's turns ("10 turns"); its best and weakest
    turn name that number and the transcript line, and the transcript shows
    each rep line's turn number beside its line number."""
    store, ids = _store_with_sessions()
    sid = ids["alex-good"]
    card = store.session(sid).scorecard
    app = _app(store, rep="morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_scorecard(sid)
        await pilot.pause()
        titles = [w.render().plain for w in app.screen.query("#score-turns .turn-title")]
        assert titles == [f"Best turn  turn {card.best.rep_turn} (line {card.best.turn + 1})",
                          f"Weakest turn  turn {card.worst.rep_turn} (line {card.worst.turn + 1})"]
        await pilot.press("t")
        await pilot.pause()
        items = list(app.screen.query(TurnItem))
        heads = [i.query_one(".turn-who").render().plain for i in items]
        line = card.best.turn + 1
        assert heads[line - 1] == f"{line:>3} Rep · turn {card.best.rep_turn}"
        assert heads[0].strip() == "1 Dana Okafor"


def test_the_transcript_marks_a_label_the_buyer_excused_and_drops_its_tip():
    """The practice screen says a label the buyer excused did not cost the rep;
    the manager's transcript says so too, rather than 'Hold budget questions...'."""
    from coach.buyer.testing import ScriptedAnalyzer
    from coach.session import TurnRecord
    from coach.ui.screens.transcript import _evidence_text

    conv = ScriptedAnalyzer().conversation()
    conv.add_buyer("We lost two days of orders.")
    analysed = conv.add_rep("[closed_question self_interested] Who else signs off on a change like this?")
    turn = TurnRecord(id=1, index=1, speaker="rep", text=analysed.text, created_at="", analysed=analysed)
    plain = _evidence_text(turn).plain
    assert "self-interested:" in plain and "Tip" in plain
    excused = _evidence_text(turn, ("self_interested",)).plain
    assert "fine here" in excused and "Tip" not in excused
