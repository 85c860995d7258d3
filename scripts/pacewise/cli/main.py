"""`python -m pacewise.cli.main`: the `pacewise` command without the console script."""

from pacewise.cli import main

if __name__ == "__main__":
    main()
