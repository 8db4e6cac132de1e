from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pdca.core import checkpoints
from pdca.core.trail import verify_all


class Command(BaseCommand):
    help = (
        "Recompute every audit-trail hash chain and compare the chains with the last signed "
        "checkpoint (and any receipts given); exit non-zero naming each break."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--receipt",
            action="append",
            default=[],
            type=Path,
            metavar="FILE",
            help="a receipt downloaded from the audit-trail page (or a checkpoint) to check too",
        )
        parser.add_argument(
            "--require-checkpoint",
            action="store_true",
            help="fail when no checkpoint has been written yet",
        )

    def handle(self, *args: object, **options: object) -> None:
        problems: list[str] = []
        compared: list[checkpoints.Checkpoint] = []
        where = checkpoints.store().where
        try:
            last = checkpoints.latest()
        except checkpoints.CheckpointError as error:
            last = None
            problems.append(str(error))
        else:
            if last is not None:
                compared.append(last)
            elif options["require_checkpoint"]:
                problems.append(f"no checkpoint has been written to {where}")
        for path in options["receipt"]:  # type: ignore[attr-defined]
            try:
                compared.append(checkpoints.parse(path.read_bytes(), str(path)))
            except (OSError, checkpoints.CheckpointError) as error:
                problems.append(str(error))
        chains, breaks = verify_all(compared)
        for problem in problems:
            self.stderr.write(f"BROKEN checkpoint: {problem}")
        for b in breaks:
            self.stderr.write(f"BROKEN {b}")
        if problems or breaks:
            raise CommandError(
                f"The audit trail was altered: {len(breaks)} break(s) in the chains, "
                f"{len(problems)} checkpoint problem(s)."
            )
        against = ", ".join(f"{c.label}" for c in compared)
        if last is None:
            self.stdout.write(
                f"No checkpoint in {where} yet: run `pdca trail-checkpoint` (on a schedule) so "
                "that entries cut off the end of a chain, or a whole chain, are found."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit trail is intact ({chains} chains"
                + (f"; compared with {against}" if against else "")
                + ")."
            )
        )
