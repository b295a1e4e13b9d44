"""Pages that gather figures from every part of the platform: the park overview (and, with the
county's dashboards, more). At the top of the layers, so they may read any app below."""
