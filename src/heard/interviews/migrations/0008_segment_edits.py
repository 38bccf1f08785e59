import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0007_transcript'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='segment',
            name='version',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='recording',
            name='call_offset_seconds',
            field=models.IntegerField(default=0, verbose_name='seconds into the call when the recording starts'),
        ),
        migrations.CreateModel(
            name='SegmentEdit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('old_text', models.TextField()),
                ('new_text', models.TextField()),
                ('edited_at', models.DateTimeField(auto_now_add=True)),
                ('edited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('new_speaker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='interviews.transcriptspeaker')),
                ('old_speaker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='interviews.transcriptspeaker')),
                ('segment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='edits', to='interviews.segment')),
            ],
            options={
                'ordering': ('segment', '-edited_at', '-id'),
            },
        ),
    ]
