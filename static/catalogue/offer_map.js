// The offer editor's map: shows the point, lets the editor move it, and looks the address up.
// Without this script the form still works: "Find address" submits the form (a draft) and the server
// finds the point. With it, the button asks the server's JSON view instead, and moving the marker fills
// the latitude and longitude fields and refreshes the derived neighbourhood and district.
(function () {
  "use strict";
  var ANTWERPEN = [51.2194, 4.4025];

  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function query(params) {
    return Object.keys(params)
      .map(function (key) { return encodeURIComponent(key) + "=" + encodeURIComponent(params[key]); })
      .join("&");
  }

  function setUp(panel) {
    var form = panel.closest("form");
    if (!form || typeof L === "undefined") {
      return;
    }
    var mapBox = panel.querySelector("[data-map]");
    var errorBox = panel.querySelector("[data-geocode-error]");
    var latitude = field(form, "latitude");
    var longitude = field(form, "longitude");
    mapBox.hidden = false;
    panel.querySelector("[data-map-help]").hidden = false;

    var start = panel.dataset.latitude ? [Number(panel.dataset.latitude), Number(panel.dataset.longitude)] : null;
    var map = L.map(mapBox).setView(start || ANTWERPEN, start ? 17 : 12);
    // The map is usually made on a tab that is not shown yet (zero size): measure it again once it is.
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize();
        if (marker) {
          map.setView(marker.getLatLng(), map.getZoom());
        }
      }).observe(mapBox);
    }
    if (panel.dataset.tileUrl) {
      L.tileLayer(panel.dataset.tileUrl, { maxZoom: 19, attribution: panel.dataset.tileAttribution }).addTo(map);
    }
    var marker = null;
    // Leaflet finds its marker images from its stylesheet's URL, which the production storage renames
    // (hashed file names): the page gives their real addresses instead.
    var icon = L.icon({
      iconUrl: panel.dataset.markerIcon,
      iconRetinaUrl: panel.dataset.markerIcon2x,
      shadowUrl: panel.dataset.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      shadowSize: [41, 41],
    });

    function showPlace(html) {
      var facts = panel.querySelector("[data-derived-place]");
      var holder = document.createElement("div");
      holder.innerHTML = html;
      facts.replaceWith(holder.firstElementChild);
    }

    function place(point, zoom) {
      if (!marker) {
        marker = L.marker(point, { icon: icon, draggable: true, keyboard: true, title: mapBox.dataset.markerTitle || "" });
        marker.addTo(map);
        marker.on("dragend", function () { moved(marker.getLatLng()); });
      } else {
        marker.setLatLng(point);
      }
      map.invalidateSize();
      map.setView(point, zoom || map.getZoom());
    }

    function moved(point) {
      latitude.value = point.lat.toFixed(6);
      longitude.value = point.lng.toFixed(6);
      latitude.dispatchEvent(new Event("change", { bubbles: true }));
      fetch(panel.dataset.placeUrl + "?" + query({ latitude: latitude.value, longitude: longitude.value }), {
        credentials: "same-origin",
      })
        .then(function (response) { return response.json(); })
        .then(function (body) { showPlace(body.html); });
    }

    if (start) {
      place(start, 17);
    }
    map.on("click", function (event) {
      place(event.latlng);
      moved(event.latlng);
    });

    panel.querySelector("[data-geocode-button]").addEventListener("click", function (event) {
      event.preventDefault();
      errorBox.hidden = true;
      var params = {
        street_address: field(form, "street_address").value,
        postal_code: field(form, "postal_code").value,
        city: field(form, "city").value,
      };
      fetch(panel.dataset.geocodeUrl + "?" + query(params), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (body.error) {
            errorBox.textContent = body.error;
            errorBox.hidden = false;
            return;
          }
          latitude.value = body.latitude.toFixed(6);
          longitude.value = body.longitude.toFixed(6);
          latitude.dispatchEvent(new Event("change", { bubbles: true }));
          place([body.latitude, body.longitude], 17);
          showPlace(body.html);
        })
        .catch(function () {
          errorBox.textContent = panel.dataset.unavailable || "";
          errorBox.hidden = !errorBox.textContent;
        });
    });
  }

  function init() {
    document.querySelectorAll("[data-offer-map]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
