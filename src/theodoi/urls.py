from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from theodoi.web import views as web_views

admin.site.site_header = _("Theo dõi chuyển đổi số — Quản trị")
admin.site.site_title = _("theodoi")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("theodoi.plans.urls")),
    path("", include("theodoi.importer.urls")),
    path("", include("theodoi.evidence.urls")),
    path("", include("theodoi.tracking.urls")),
    path("", include("theodoi.tracking.office_urls")),
    path("", include("theodoi.dashboards.urls_province")),
    path("", include("theodoi.dashboards.urls_commune")),
    path("", include("theodoi.alerts.urls")),
    path("", include("theodoi.api.urls")),
    path("", include("theodoi.scorecards.urls")),
    path("", include("theodoi.reports.urls")),
    path("", include("theodoi.accounts.urls")),
    path("", include("theodoi.jobs.urls")),
    path("admin/", admin.site.urls),
]
