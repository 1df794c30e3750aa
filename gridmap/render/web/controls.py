"""Small Leaflet controls shared by GridMap's web maps.

folium's ``control_scale=True`` shows feet and miles beside metres; a Chinese
district works in metres only, so every map adds `MetricScale` instead.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class MetricScale(MacroElement):
    """A scale bar in metres and kilometres only, bottom left."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, metric: true, maxWidth: 160})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"
