import gc

gc.disable()  # while the CLI's modules load too: `run` keeps it off for a one-shot command

from sitegen.cli import run  # noqa: E402

run()
