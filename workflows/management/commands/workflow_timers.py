"""Cron job: Viewflow's due timers (reminders, escalations, scheduled starts), then the reminders and escalations of
the tasks whose deadline a correction request moved (workflows/timers.py)."""

from viewflow.management.commands import workflow_timers

from workflows import timers


class Command(workflow_timers.Command):
    help = (
        "Déclenche les minuteries dues des parcours (rappels, escalades), puis rattrape celles des tâches dont "
        "l'échéance a été repoussée par une demande de correction."
    )

    def handle(self, **options):
        super().handle(**options)
        made_up = timers.catch_up()
        self.stdout.write(f"{made_up} rappel(s) ou escalade(s) rattrapé(s) après une demande de correction")
