from django.core.management.base import BaseCommand, CommandError

from pdca.core import checkpoints


class Command(BaseCommand):
    help = (
        "Sign the head of every audit-trail chain and append the checkpoint outside the "
        "database (run it on a schedule, e.g. every 15 minutes, and after an import)."
    )

    def handle(self, *args: object, **options: object) -> None:
        where = checkpoints.store().where
        try:
            run = checkpoints.write_checkpoint()
        except checkpoints.CheckpointError as error:
            raise CommandError(
                f"The last checkpoint cannot be trusted, so none was written: {error}"
            ) from error
        for b in run.breaks:
            self.stderr.write(f"BROKEN {b}")
        chains = len(run.checkpoint.heads)
        if run.written:
            self.stdout.write(f"Checkpoint of {chains} chains written to {where}.")
        else:
            self.stdout.write(f"No chain moved since {run.checkpoint.label}: nothing written.")
        if run.breaks:
            raise CommandError(
                f"{len(run.breaks)} chain(s) broken since the last checkpoint: their last "
                "checkpointed heads were kept. Run `pdca verify-trail` and investigate."
            )
