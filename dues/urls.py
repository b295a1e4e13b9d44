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

urlpatterns += [
    path("dues/books/<int:pk>/", views.LedgerView.as_view(), name="ledger"),
    path("dues/books/<int:pk>/<int:year>.xlsx", views.LedgerExportView.as_view(), name="ledger_xlsx"),
    path("dues/entries/<int:pk>/reverse/", views.LedgerReverseView.as_view(), name="ledger_reverse"),
    path("dues/evidence/<int:pk>/", views.EvidenceView.as_view(), name="evidence"),
]
