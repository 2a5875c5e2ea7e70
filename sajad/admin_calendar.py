"""Admin for the working calendar: the weekly hours and the holidays, edited in Jalali.

Registered on import; `SajadConfig.ready()` imports this module so the registrations exist whether
or not `sajad/admin.py` does. Every deadline computed after a change here follows the new calendar.
"""
import datetime as dt

import jdatetime
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTimeWidget
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .calendar_store import calendar_changed
from .jalali import JALALI_DATE, JALALI_LONG_DATE, format_jalali, parse_jalali_date
from .models import Holiday, WorkingWeek
from .persian import to_persian_digits

# Days in each Jalali month; Esfand has 30 only in leap years, which a recurring row may name.
_MONTH_LENGTH = {month: 31 if month <= 6 else 30 for month in range(1, 13)}


class JalaliDateField(forms.Field):
    """A date typed as Jalali text («۱۴۰۵/۰۱/۲۵», any digits, / or -), cleaned to a Gregorian date."""

    default_error_messages = {
        "invalid": _("“%(value)s” is not a valid Jalali date; write it like ۱۴۰۵/۰۱/۲۵."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "۱۴۰۵/۰۱/۲۵", "dir": "ltr", "size": 12})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.date):  # the stored value; typed text is shown back as typed
            return format_jalali(value, JALALI_DATE)
        return value

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        try:
            return parse_jalali_date(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text})


class HolidayForm(forms.ModelForm):
    date = JalaliDateField(
        label=_("Jalali date"), required=False,
        help_text=_("For a holiday of one year only, such as a lunar holiday: e.g. ۱۴۰۵/۰۱/۲۵."),
    )

    class Meta:
        model = Holiday
        fields = ["name", "recurring", "jalali_month", "jalali_day", "date"]
        help_texts = {
            "jalali_month": _("Only for a holiday that recurs every year."),
            "jalali_day": _("Only for a holiday that recurs every year."),
        }

    def clean(self):
        data = super().clean()
        if data.get("recurring"):
            month, day = data.get("jalali_month"), data.get("jalali_day")
            if not month:
                self.add_error("jalali_month", _("A recurring holiday needs its Jalali month."))
            if not day:
                self.add_error("jalali_day", _("A recurring holiday needs its Jalali day."))
            elif month and not 1 <= day <= _MONTH_LENGTH[month]:
                self.add_error("jalali_day", _("That day does not exist in that Jalali month."))
            if data.get("date"):
                self.add_error("date", _("A recurring holiday has a month and a day, not a date."))
        else:
            if not data.get("date") and "date" not in self.errors:
                self.add_error("date", _("Enter the Jalali date of this holiday."))
            if data.get("jalali_month") or data.get("jalali_day"):
                self.add_error(
                    "recurring", _("Tick “every year” for a holiday given by Jalali month and day.")
                )
        return data


class JalaliYearFilter(admin.SimpleListFilter):
    """One-off holidays by Jalali year: lunar holidays are entered a year at a time."""

    title = _("Jalali year")
    parameter_name = "jyear"

    def lookups(self, request, model_admin):
        dates = Holiday.objects.filter(recurring=False).values_list("date", flat=True)
        years = sorted({jdatetime.date.fromgregorian(date=d).year for d in dates}, reverse=True)
        return [(str(year), to_persian_digits(year)) for year in years]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        year = int(self.value())
        return queryset.filter(
            recurring=False,
            date__gte=jdatetime.date(year, 1, 1).togregorian(),
            date__lt=jdatetime.date(year + 1, 1, 1).togregorian(),
        )


class CalendarChangeMixin:
    """Every change of the working calendar is announced, so open deadlines can be recomputed."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar_changed.send(sender=type(obj), reason=_("Working calendar changed: %(what)s")
                              % {"what": obj})

    def delete_model(self, request, obj):
        what = str(obj)
        super().delete_model(request, obj)
        calendar_changed.send(sender=type(obj), reason=_("Working calendar changed: %(what)s")
                              % {"what": what})

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar_changed.send(sender=queryset.model, reason=_("Working calendar changed"))


@admin.register(Holiday)
class HolidayAdmin(CalendarChangeMixin, admin.ModelAdmin):
    form = HolidayForm
    list_display = ["name", "when", "kind"]
    list_filter = ["recurring", JalaliYearFilter]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "recurring"]}),
        (_("Every year"), {"fields": ["jalali_month", "jalali_day"]}),
        (_("One year only"), {"fields": ["date"]}),
    ]

    @admin.display(description=_("Jalali date"), ordering="date")
    def when(self, obj: Holiday) -> str:
        if obj.recurring:
            return f"{to_persian_digits(obj.jalali_day)} {obj.get_jalali_month_display()}"
        return format_jalali(obj.date, JALALI_LONG_DATE)

    @admin.display(description=_("kind"), ordering="recurring")
    def kind(self, obj: Holiday) -> str:
        return _("every year") if obj.recurring else _("one year only")


class WorkingWeekForm(forms.ModelForm):
    class Meta:
        model = WorkingWeek
        fields = ["is_working", "start", "end"]
        widgets = {
            "start": AdminTimeWidget(format="%H:%M"),
            "end": AdminTimeWidget(format="%H:%M"),
        }

    def clean(self):
        data = super().clean()
        if data.get("is_working") is False:
            others = WorkingWeek.objects.filter(is_working=True).exclude(pk=self.instance.pk)
            if not others.exists():
                raise ValidationError(_("At least one day of the week must be a working day."))
        return data


@admin.register(WorkingWeek)
class WorkingWeekAdmin(CalendarChangeMixin, admin.ModelAdmin):
    """Seven fixed rows, one per weekday: they are edited, never added or removed."""

    form = WorkingWeekForm
    list_display = ["weekday", "is_working", "start_display", "end_display"]
    list_display_links = ["weekday"]
    readonly_fields = ["weekday"]
    fields = ["weekday", "is_working", "start", "end"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("start of work"))
    def start_display(self, obj: WorkingWeek) -> str:
        return to_persian_digits(obj.start.strftime("%H:%M")) if obj.is_working else "—"

    @admin.display(description=_("end of work"))
    def end_display(self, obj: WorkingWeek) -> str:
        return to_persian_digits(obj.end.strftime("%H:%M")) if obj.is_working else "—"
