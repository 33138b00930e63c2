"""``python -m spillwatch`` runs the command-line interface."""

from spillwatch.cli import main

if __name__ == "__main__":
    main()
