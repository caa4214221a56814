"""The teacher dashboard: view-models read through the store, the Voila notebook, a demo seeder.

- :mod:`.seed`: a realistic synthetic class (``jupyter-adaptive seed``).
"""
