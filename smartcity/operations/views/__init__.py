"""Pages of the integrated platform, one module per screen:

- ``incidents``: the live situation board, incidents, cameras;
- ``grants``, ``situations``: the incident page's video and situation sections;
- ``access_log``: the centre's video access log, its export and monthly review;
- ``agency``: the agencies' console, a grant's cameras, dispatch, break-glass;
- ``gateway``: stream tokens and the video gateway;
- ``programme``: the Ministry's upload of the platform programme's files.

Every view loads the operator's tenant or a protected object through
``operations.access`` (anyone else gets the same 404 as for a missing page);
every video attempt goes through ``services.video``, which logs it.
"""
