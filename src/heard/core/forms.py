from django.forms.renderers import TemplatesSetting


class HeardFormRenderer(TemplatesSetting):
    """Renders every form with Heard's field markup: label, input, help, errors beside it."""

    form_template_name = "core/form.html"
    field_template_name = "core/field.html"
