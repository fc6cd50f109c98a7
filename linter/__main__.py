from hvlint.cli import entry

entry()
