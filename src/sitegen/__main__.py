"""`python -m sitegen` and the `sitegen` console script (pyproject's [project.scripts])."""

import gc


def main() -> None:
    gc.disable()  # while the CLI's modules load too: `run` keeps it off for a one-shot command
    from sitegen.cli import run

    run()


if __name__ == "__main__":
    main()
