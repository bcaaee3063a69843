"""Allow ``python -m generator`` as well as the ``ea`` console script."""

from generator.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()
