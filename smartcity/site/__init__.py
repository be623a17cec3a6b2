"""The site: the pages and commands that compose the whole product (the home
page, the audit log, the demo loader). It sits on the top floor, so it may
import any app and no app imports it (docs/architecture.md)."""
