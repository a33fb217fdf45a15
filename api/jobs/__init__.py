"""The one job system: every long task (plan, what-if, outlook, allocation,
apply) is a job.

``store`` holds every state change, ``runner`` claims and watches jobs on a backend
(``local`` worker processes or ``dask_backend``), ``task`` runs one claimed job where the
work happens, ``kinds`` adapts each kind to the function doing its work.
"""
