#!/usr/bin/env python
"""Django's manage.py, the same entry point as the ``netra`` command."""

from netra.cli import main

if __name__ == "__main__":
    main()
