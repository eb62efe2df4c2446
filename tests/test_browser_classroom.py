"""The classroom in a real browser (Debian's Chromium driven by Playwright, `lealtad classroom --db` as a
separate process): a teacher and two teams, each in its own browser context, play two quarters of one
market; a wrong code is refused; a team sees and sends only its own firm's plan; the server is stopped
in the middle and started again on the same database, and the game goes on with exactly the numbers
of a game never interrupted. Any failed request, request leaving this machine, console error or page
error fails the test. Screenshots at 1366x768 go to test-artifacts/."""

import re

import pytest

from browser_support import ARTIFACTS, launch, needs_a_browser, start_lealtad, stop, watched

pytestmark = pytest.mark.browser
ES = "es"


def test_a_teacher_and_two_teams_play_two_quarters_across_a_restart(tmp_path):
    needs_a_browser()
    from playwright.sync_api import sync_playwright

    from lealtad.classroom.game import QUARTER_DAYS, Game, Setup
    from lealtad.classroom.lobby import Lobby
    from lealtad.classroom.store import Store
    from lealtad.locale import numbers
    from lealtad.viz.i18n import param_label, t

    ARTIFACTS.mkdir(exist_ok=True)
    db = tmp_path / "class.db"
    proc, url = start_lealtad("classroom", "--db", str(db), "--lang", ES)
    port = int(url.rsplit(":", 1)[1].strip("/"))
    problems: list[str] = []
    close_label = t("Close the quarter ({days} days)", ES, days=QUARTER_DAYS)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            pages = {who: watched(browser.new_context(viewport={"width": 1366, "height": 768}).new_page(), problems)
                     for who in ("teacher", "azul", "rojo")}
            teacher, azul, rojo = pages.values()

            def enter(page, code):
                page.goto(url)
                page.get_by_label(t("Code", ES)).fill(code, timeout=60_000)
                page.get_by_role("button", name=t("Join", ES), exact=True).click()

            # the teacher creates a game of 800 people and adds two teams; their codes show on the screen
            teacher.goto(url)
            teacher.get_by_label(param_label("n_customers", ES)).fill("800", timeout=60_000)
            teacher.get_by_role("button", name=t("New game", ES)).click()
            for name in ("Azul", "Rojo"):
                teacher.get_by_label(t("Team name", ES)).fill(name, timeout=30_000)
                teacher.get_by_role("button", name=t("Add team", ES)).click()
                teacher.locator("table.lealtad-teams td", has_text=name).wait_for(timeout=30_000)
            codes = dict(zip(teacher.locator("table.lealtad-teams tr td:nth-child(1)").all_inner_texts(),
                             teacher.locator("table.lealtad-teams tr td:nth-child(2)").all_inner_texts()))
            teacher_code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", teacher.locator(".lealtad-teacher-code").inner_text()).group()
            teacher.screenshot(path=str(ARTIFACTS / "classroom-01-teacher-codes.png"))

            # a wrong code is refused; the right one opens the team's own firm, and nothing of the teacher's
            enter(azul, "ABCD-EFGH")
            azul.get_by_text(t("Wrong code: check it and type it again.", ES)).wait_for(timeout=30_000)
            azul.get_by_label(t("Code", ES)).fill(codes["Azul"])
            azul.get_by_role("button", name=t("Join", ES), exact=True).click()
            azul.get_by_text(f"Azul · {t('Quarter {quarter} of {quarters}', ES, quarter=1, quarters=4)}").wait_for(timeout=30_000)
            enter(rojo, codes["Rojo"].lower())
            rojo.get_by_text(f"Rojo · {t('Quarter {quarter} of {quarters}', ES, quarter=1, quarters=4)}").wait_for(timeout=30_000)
            for page, other in ((azul, "Rojo"), (rojo, "Azul")):
                assert page.get_by_role("button", name=close_label).count() == 0
                assert page.get_by_text(other).count() == 0 and codes[other] not in page.content()

            # Azul raises training one step with the keyboard and sends the plan; Rojo sends no change
            training = azul.locator(".lealtad-param", has_text=param_label("training", ES)).locator("[role=slider]")
            training.focus()
            training.press("ArrowRight")
            azul.get_by_text("(← 0,4)").wait_for(timeout=30_000)
            azul.get_by_role("button", name=t("Send the plan", ES)).click()
            azul.get_by_text(t("Plan sent: {decisions}", ES, decisions=f"{param_label('training', ES)} 0,4 → 0,45")).wait_for(timeout=30_000)
            rojo.get_by_role("button", name=t("Send the plan", ES)).click()
            rojo.get_by_text(t("Plan sent: {decisions}", ES, decisions=t("no change", ES))).wait_for(timeout=30_000)
            azul.screenshot(path=str(ARTIFACTS / "classroom-02-team-plan.png"))
            teacher.locator("table.lealtad-teams td", has_text="✓").nth(1).wait_for(timeout=30_000)  # both sent, seen live
            teacher.get_by_role("button", name=close_label).click()
            teacher.get_by_text(t("Ranking after quarter {quarter}", ES, quarter=1)).wait_for(timeout=60_000)
            azul.locator("table.lealtad-reports").wait_for(timeout=30_000)  # the team's page follows by itself
            teacher.screenshot(path=str(ARTIFACTS / "classroom-03-teacher-ranking.png"), full_page=True)

            # Rojo sends a plan for quarter 2, then the server stops (the pages leave it first)
            rojo.get_by_text(f"Rojo · {t('Quarter {quarter} of {quarters}', ES, quarter=2, quarters=4)}").wait_for(timeout=30_000)
            tangibles = rojo.locator(".lealtad-param", has_text=param_label("tangibles", ES)).locator("[role=slider]")
            tangibles.focus()
            tangibles.press("ArrowLeft")
            rojo.get_by_role("button", name=t("Send the plan", ES)).click()
            rojo.get_by_text(t("Plan sent: {decisions}", ES, decisions=f"{param_label('tangibles', ES)} 0,7 → 0,65")).wait_for(timeout=30_000)
            for page in pages.values():
                page.goto("about:blank")
            stop(proc)
            proc, _ = start_lealtad("classroom", "--db", str(db), "--lang", ES, port=port)

            enter(teacher, teacher_code)
            teacher.get_by_text(t("Ranking after quarter {quarter}", ES, quarter=1)).wait_for(timeout=60_000)
            sent = teacher.locator("table.lealtad-teams tr td:nth-child(3)").all_inner_texts()
            assert sent == ["–", "✓"]  # Rojo's plan survived the restart, Azul has not sent one
            enter(rojo, codes["Rojo"])
            rojo.get_by_text(t("Plan sent: {decisions}", ES, decisions=f"{param_label('tangibles', ES)} 0,7 → 0,65")).wait_for(timeout=30_000)
            teacher.get_by_role("button", name=close_label).click()
            teacher.get_by_text(t("Ranking after quarter {quarter}", ES, quarter=2)).wait_for(timeout=60_000)
            teacher.screenshot(path=str(ARTIFACTS / "classroom-04-after-restart.png"), full_page=True)
            ranking = teacher.locator("table.lealtad-ranking").inner_text()
            browser.close()
    finally:
        stop(proc)

    # the same decisions in a game never interrupted give the same numbers, on the page and in the database
    whole = Game(Setup.of({"n_customers": 800}))
    whole.add_team("Azul")
    whole.add_team("Rojo")
    whole.submit("team_1", {"training": 0.45})
    whole.close_quarter()
    whole.submit("team_2", {"tangibles": 0.65})
    whole.close_quarter()
    [resumed] = Lobby(Store(db)).games.values()
    assert [q.kpis for q in resumed.quarters] == [q.kpis for q in whole.quarters]
    for firm in ("team_1", "team_2"):
        assert numbers.auto(whole.quarters[-1].kpis[firm]["cumulative_profit"], ES) in ranking
    assert problems == []
