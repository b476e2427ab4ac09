"""``python -m odoo_urgency.sandbox [--port 18069] [--data FILE] [--database NAME] [--demo] [--without-purchase]``."""

from __future__ import annotations

import argparse

from .app import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m odoo_urgency.sandbox", description="Embedded Odoo 17 compatible ERP sandbox")
    # Beside, never on, a real Odoo's 8069 (the same default as ``odoo-urgency sandbox``).
    parser.add_argument("--port", type=int, default=18069, help="TCP port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--data", default=None, help="SQLite file keeping the state (default: in memory)")
    parser.add_argument("--database", default="odoo", help="database name clients must use")
    parser.add_argument("--demo", action="store_true", help="load the demo stories into a new database")
    parser.add_argument("--without-purchase", action="store_true", help="serve an ERP without the purchase app")
    parser.add_argument("--odoo-version", type=int, choices=(17, 19), default=17, help="answer as Odoo 17 or 19")
    args = parser.parse_args(argv)
    serve(port=args.port, data=args.data, database=args.database, demo=args.demo, purchase=not args.without_purchase,
          odoo_version=args.odoo_version)


if __name__ == "__main__":
    main()
