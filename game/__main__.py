"""`python -m game` runs the same command line as the `fruitnet` script."""

from game.cli import main

raise SystemExit(main())
