from django.contrib import admin

from .models import Commune, Province, Unit, UnitAlias


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "code"]
    list_filter = ["province", "kind"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "is_standing_office", "is_active"]
    list_filter = ["commune__province", "commune", "is_active"]
    search_fields = ["name", "aliases__spelling"]


@admin.register(UnitAlias)
class UnitAliasAdmin(admin.ModelAdmin):
    list_display = ["spelling", "unit", "commune"]
    list_filter = ["commune"]
    search_fields = ["spelling", "unit__name"]
