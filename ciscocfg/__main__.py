"""``python -m ciscocfg`` runs the command line."""

from ciscocfg.cli import main

raise SystemExit(main())
