from hvlint.cli import main

raise SystemExit(main())
