"""Assessment: item response theory for the course's check items.

- :mod:`.irt`: the 2PL model, Fisher information, ability estimates with their standard error;
- :mod:`.item_bank`: a course's calibrated item parameters, read from and written to a file;
- :mod:`.calibration`: fitting the 2PL model on first answers (``jupyter-adaptive items
  calibrate``), with misfit flags;
- :mod:`.cat`: the adaptive check-in's item selection and stop rule;
- :mod:`.simulation`: the check-in against a fixed form on simulated learners
  (``jupyter-adaptive simulate-check``).

Nothing here knows about Jupyter, HTTP or the store.
"""
