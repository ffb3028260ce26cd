"""`python -m bot report` for curators, from a seeded database, in both forms."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from bot import report
from bot.store import Store
from conftest import run_bot


@pytest.fixture
def seeded(tmp_path):
    url = f"sqlite:///{tmp_path}/assistant.db"
    store = Store(url)
    now = datetime.now(timezone.utc)
    for text in ["when is trash pickup", "trash pickup schedule", "when is the trash pickup?"]:
        store.add_question("dm", text, "fallback", None, 12.0, user_id="U1")
    for _ in range(2):
        store.add_question("mention", "group violence intervention model funding", "fallback", None, 48.0)
    for _ in range(4):
        qid = store.add_question("dm", "who founded maig", "answer", "maig", 95.0, user_id="U2")
    store.add_event("up", intent="maig", question_id=qid)
    store.add_event("down", intent="maig", question_id=qid)
    store.add_event("down", intent="maig")
    store.add_event("comment", intent="maig", text="I wanted the founding year first")
    store.add_question("command", "cvi stuff", "clarify", None, 52.0)
    store.add_event("choose", intent="webinar_part_2", text="the trust webinar")
    store.add_event("choose", intent="webinar_part_2", text="the trust webinar")
    store.add_event("none", text="a question about bridges")
    store.add_question("dm", "an old fallback", "fallback", None, 5.0, at=now - timedelta(days=30))
    store.close()
    return url


def test_json_report_counts_feedback_unanswered_and_proposals(seeded):
    result = run_bot("report", "--json", env={"DATABASE_URL": seeded})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["questions"] == 11
    assert data["by_outcome"] == {"fallback": 6, "answer": 4, "clarify": 1}
    assert data["by_surface"]["dm"] == 8
    today = data["by_day"][-1]
    assert today["fallback"] == 5 and today["surfaces"] == {"dm": 7, "mention": 2, "command": 1}
    assert {"intent": "maig", "up": 1, "down": 2, "comments": ["I wanted the founding year first"]} == data["feedback"][0]
    unanswered = {u["text"]: u["count"] for u in data["unanswered"]}
    assert unanswered["when is trash pickup"] == 3  # three wordings, one group
    assert unanswered["group violence intervention model funding"] == 2
    assert unanswered["a question about bridges"] == 1  # "None of these" counts as unanswered
    proposals = data["proposals"]
    near = next(p for p in proposals if "group violence intervention model funding" in p["questions"])
    assert near["kind"] == "add_examples" and near["intent"] == "cvi_models"
    assert "- group violence intervention model funding" in near["yaml"]
    trash = next(p for p in proposals if "when is trash pickup" in p["questions"])
    assert trash["kind"] == "new_intent" and "id: when_is_trash_pickup" in trash["yaml"]
    picked = next(p for p in proposals if p["why"].startswith("picked 2 times"))
    assert picked["intent"] == "webinar_part_2" and "- the trust webinar" in picked["yaml"]


def test_since_narrows_the_report(seeded):
    data = json.loads(run_bot("report", "--json", "--since", "7d", env={"DATABASE_URL": seeded}).stdout)
    assert data["questions"] == 10
    assert "an old fallback" not in {u["text"] for u in data["unanswered"]}


def test_table_report_is_readable(seeded):
    result = run_bot("report", env={"DATABASE_URL": seeded})
    out = result.stdout
    assert result.returncode == 0
    assert "Questions: 11" in out
    assert "Unanswered (grouped):" in out and "3  when is trash pickup" in out
    assert "maig" in out and "I wanted the founding year first" in out
    assert "Proposals" in out and "examples for 'cvi_models'" in out


def test_bad_since_is_a_clear_error(seeded):
    result = run_bot("report", "--since", "a week", env={"DATABASE_URL": seeded})
    assert result.returncode == 2 and "--since takes a number" in result.stderr


def test_empty_store_says_nothing_recorded(tmp_path):
    Store(f"sqlite:///{tmp_path}/empty.db").close()
    result = run_bot("report", env={"DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"})
    assert result.returncode == 0 and "Nothing recorded yet." in result.stdout


def test_report_on_a_missing_database_says_so_and_creates_nothing(tmp_path):
    result = run_bot("report", env={"DATABASE_URL": f"sqlite:///{tmp_path}/typo.db"})
    assert result.returncode == 1 and "No question store at" in result.stderr and "typo.db" in result.stderr
    assert not (tmp_path / "typo.db").exists()


def test_proposals_are_valid_yaml_lines():
    import yaml

    stub = report._yaml_stub(["what about: colons & quotes \"here\"?", "second one"])
    parsed = yaml.safe_load(stub.replace("  - id", "- id", 1).replace("\n    ", "\n  "))
    assert parsed[0]["examples"][0] == 'what about: colons & quotes "here"?'
