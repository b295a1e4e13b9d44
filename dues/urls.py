from django.urls import path

from dues import views

app_name = "dues"

urlpatterns = [
    path("dues/", views.DuesHomeView.as_view(), name="home"),
    path("dues/sheets/<int:pk>/", views.SheetView.as_view(), name="sheet"),
    path("dues/sheets/<int:pk>/pay/", views.SheetPayView.as_view(), name="pay"),
    path("dues/sheets/<int:pk>.xlsx", views.SheetExportView.as_view(), name="sheet_xlsx"),
    path("dues/payments/<int:pk>/reverse/", views.PaymentReverseView.as_view(), name="reverse"),
    path("dues/members/<int:pk>/basis/", views.BasisView.as_view(), name="basis"),
]
