"""The link with an LMS through LTI 1.3: launches into the class's JupyterHub (the Hub's
authenticator, :mod:`.authenticator`), course rosters and grades back (:mod:`.sync`, run by the
service). Setup: ``deploy/lti/README.md``."""
