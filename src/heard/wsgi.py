import os

from django.core.wsgi import get_wsgi_application

from heard.core.private import keep_files_private

keep_files_private()  # the data folder holds personal data: nothing Heard makes is shared
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")

application = get_wsgi_application()
