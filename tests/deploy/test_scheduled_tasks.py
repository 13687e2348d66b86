"""cron.json (Scalingo Scheduler, UTC) runs the README's scheduled tasks (Paris time), same commands, same times."""

import json
import re
import shlex

import pytest
from django.core.management import get_commands

from tests.deploy.project_files import ROOT, readme_section

# Scalingo's scheduler reads UTC. Paris is UTC+1 in winter, UTC+2 in summer: the jobs are written for winter time, so
# in summer they run one hour later by the Paris clock, never earlier (a job "after midnight" stays after midnight).
PARIS_WINTER_OFFSET = 1
_ROW = re.compile(r"^\| [^|]+ \| `(?P<cron>[^`]+)` \| `(?P<command>python manage\.py [^`]+)` \|", flags=re.M)


def readme_jobs() -> list[tuple[str, str]]:
    """(cron expression in Paris time, command) of each row of the README's scheduled tasks table."""
    return [(row["cron"], row["command"]) for row in _ROW.finditer(readme_section("Production"))]


def cron_json_jobs() -> list[tuple[str, str]]:
    """(cron expression in UTC, command) of each job of cron.json."""
    jobs = json.loads((ROOT / "cron.json").read_text())["jobs"]
    return [tuple(re.match(r"^((?:\S+ ){4}\S+) (.+)$", job["command"]).groups()) for job in jobs]


def paris_to_utc(expression: str) -> str:
    """The same schedule in UTC (winter offset); refuses a shift that would move a dated job to another day."""
    minute, hour, day, month, weekday = expression.split()
    if not hour.isdigit():
        return expression
    shifted = int(hour) - PARIS_WINTER_OFFSET
    if shifted < 0 and (day, month, weekday) != ("*", "*", "*"):
        raise ValueError(f"{expression} : en UTC, cette tâche datée changerait de jour.")
    return f"{minute} {shifted % 24} {day} {month} {weekday}"


class TestScheduledTasks:
    def test_the_readme_table_is_read(self):
        jobs = readme_jobs()
        assert len(jobs) >= 14
        assert ("15 0 * * *", "python manage.py apply_contract_endings --apply") in jobs

    def test_cron_json_runs_the_readme_tasks_at_the_same_times(self):
        expected = [(paris_to_utc(cron), command) for cron, command in readme_jobs()]
        assert cron_json_jobs() == expected

    def test_every_command_exists(self):
        commands = get_commands()
        for _, command in readme_jobs():
            assert shlex.split(command)[2] in commands, command

    def test_no_job_runs_more_often_than_every_10_minutes(self):
        for expression, command in cron_json_jobs():
            minute = expression.split()[0]
            assert minute.isdigit() or re.fullmatch(r"\*/(\d+)", minute) and int(minute[2:]) >= 10, command

    @pytest.mark.parametrize(
        ("paris", "utc"),
        [
            ("15 0 * * *", "15 23 * * *"),
            ("0 8 * * *", "0 7 * * *"),
            ("0 7 2 * *", "0 6 2 * *"),
            ("*/10 * * * *", "*/10 * * * *"),
        ],
    )
    def test_paris_times_become_utc(self, paris, utc):
        assert paris_to_utc(paris) == utc

    def test_a_dated_job_just_after_midnight_is_refused(self):
        with pytest.raises(ValueError, match="changerait de jour"):
            paris_to_utc("30 0 1 * *")
