from django.apps import AppConfig
from django.db.models.signals import post_delete


class SynthesisConfig(AppConfig):
    name = "heard.synthesis"
    label = "synthesis"

    def ready(self) -> None:
        from heard.core.worker import worker_starting
        from heard.synthesis import dependents
        from heard.synthesis.matrix import exports, tasks
        from heard.synthesis.models import MatrixExport

        dependents.register_all()
        worker_starting.connect(tasks.on_worker_starting, dispatch_uid="matrix.exports")
        post_delete.connect(exports.forget_file, sender=MatrixExport, dispatch_uid="matrix.files")
