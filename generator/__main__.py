"""Allow ``python -m generator`` as well as the ``ea`` console script."""

from generator.cli import run

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    run()
