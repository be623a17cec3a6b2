"""Video for agencies, one module per aggregate of the linkage services:

- ``sessions``: the viewing session, the cameras the rules offer, who may act;
- ``grants``: the centre grants, an officer extends, the centre revokes;
- ``break_glass``: an officer takes video the centre has not shared yet;
- ``streams``: stream tokens and the gateway's check on every open;
- ``expiry``: the sweep that ends expired grants.

Every view attempt — granted or refused — is written to the hash-chained
access log (``services.video_log``) in its own transaction before a refusal
is raised, so a refusal is never lost with a rolled-back change.
"""
