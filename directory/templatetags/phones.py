"""Phone numbers in templates: stored in E.164, read grouped (« 01 23 45 67 89 »), dialled through tel: links."""

from django import template

from directory.phones import display_phone, phone_href

register = template.Library()


@register.filter(name="phone")
def phone_filter(value) -> str:
    """« +33123456789 » → « 01 23 45 67 89 »; a value that is not a number is shown as stored."""
    return display_phone(str(value or ""))


@register.filter(name="phone_href")
def phone_href_filter(value) -> str:
    """« +33123456789 » → « tel:+33123456789 »; "" when the value cannot be dialled."""
    return phone_href(str(value or ""))
