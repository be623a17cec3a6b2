"""The committee's pages under /reviews/, one module per screen: a member's
list, scoring sheet and thread (``reviews``), the committees of a call
(``committees``), the consensus meeting (``consensus``) and the site-inspection
checklist (``inspection``). Protected objects load through ``access``; writes
go through ``services``."""
