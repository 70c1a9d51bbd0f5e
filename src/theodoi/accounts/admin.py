from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from .models import Account, CommuneSettings, Membership, Role
from .services import one_commune_error


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "role", "commune", "province", "unit"]

    def clean(self) -> dict[str, object]:
        # The admin site writes memberships directly: it keeps the one-commune rule too.
        data = super().clean() or {}
        user, commune = data.get("user"), data.get("commune")
        if user is not None and commune is not None and data.get("role") != Role.PROVINCE_OFFICER:
            error = one_commune_error(user=user, commune=commune, ignore=self.instance)
            if error:
                raise forms.ValidationError(error)
        unit = data.get("unit")
        if unit is not None and commune is not None and unit.commune_id != commune.pk:
            raise forms.ValidationError(_("Đơn vị không thuộc xã/phường đã chọn."))
        return data


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "role", "commune", "province", "unit"]
    list_filter = ["role", "commune__province", "commune"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["user", "commune", "must_change_password"]
    list_filter = ["must_change_password", "commune__province", "commune"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(CommuneSettings)
class CommuneSettingsAdmin(admin.ModelAdmin):
    list_display = ["commune", "public_page"]
    list_filter = ["public_page"]
