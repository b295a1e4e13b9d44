from django.urls import path

from points import views

app_name = "points"

urlpatterns = [
    path("points/", views.PointsView.as_view(), name="points"),
    path("points/entries/new/", views.PointsAddView.as_view(), name="add"),
    path("points/redeem/", views.RedeemView.as_view(), name="redeem"),
    path("points/cards/", views.ActivistCardSaveView.as_view(), name="card_save"),
    path("points/cards/publish/", views.ActivistCardsPublishView.as_view(), name="cards_publish"),
    path("points/items/new/", views.StoreItemCreateView.as_view(), name="item_create"),
]
