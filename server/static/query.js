// The query editor: YASGUI (vendored), configured to talk to this service's /sparql and to
// nothing else. No prefix.cc, no Linked Open Vocabularies autocompletion, no endpoint
// catalogue, no CORS proxy, no share-link service, no endpoint taken from a shared link,
// nothing kept between visits. Without JavaScript (or if the editor fails to load) the plain form stays.
(function () {
  "use strict";
  var mount = document.getElementById("yasgui");
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  if (!mount || !form || !textarea || typeof window.Yasgui === "undefined") return;
  var Yasgui = window.Yasgui;
  var Yasqe = Yasgui.Yasqe;

  // The absolute address of /sparql on this origin: the only endpoint the editor knows.
  var endpoint = new URL(mount.getAttribute("data-endpoint"), window.location.href).href;

  // Autocompleters that ask other hosts (prefixes: prefix.cc; class, property: LOV) are
  // removed outright, so no configuration (defaults are merged index by index) can bring them
  // back. Only the local one, variables from the query itself, stays.
  Object.keys(Yasqe.Autocompleters).forEach(function (name) {
    if (name !== "variables") delete Yasqe.Autocompleters[name];
  });
  Yasqe.defaults.autocompleters.splice(0, Yasqe.defaults.autocompleters.length);
  if (Yasqe.Autocompleters.variables) Yasqe.defaults.autocompleters.push("variables");
  Yasqe.defaults.prefixCcApi = null;
  Yasqe.defaults.createShortLink = undefined;
  Yasqe.defaults.requestConfig.endpoint = endpoint;
  var catalogue = function () { return [{ endpoint: endpoint }]; };
  Yasgui.defaults.endpointCatalogueOptions.getData = catalogue;
  Yasgui.defaults.requestConfig.endpoint = endpoint;
  Yasgui.defaults.corsProxy = undefined;

  var yasgui;
  try {
    mount.hidden = false;
    yasgui = new Yasgui(mount, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      endpointCatalogueOptions: { getData: catalogue },
      copyEndpointOnNewTab: true,
      corsProxy: undefined,
      // A shared link (#query=...&endpoint=...) may set the query, never the endpoint.
      populateFromUrl: function (config) {
        config.requestConfig = config.requestConfig || {};
        config.requestConfig.endpoint = endpoint;
        return config;
      },
      persistenceId: null,         // nothing kept in localStorage (a stale endpoint, a stale query)
      autofocus: false,
      yasqe: {
        value: textarea.value,
        prefixCcApi: null,
        createShortLink: undefined,
        persistenceId: null,
        editorHeight: "320px"
      },
      yasr: { persistenceId: null }
    });
  } catch (error) {
    mount.hidden = true;           // keep the plain form
    if (window.console) console.error("query editor failed to start", error);
    return;
  }
  form.hidden = true;
  window.eurasiaQueryEditor = yasgui;

  function tab() { return yasgui.getTab(); }

  function run(text) {
    var current = tab();
    if (!current) return;
    current.setEndpoint(endpoint);
    if (typeof text === "string") current.setQuery(text);
    var running = current.query();
    if (running && running.catch) running.catch(function () { /* YASR shows the error */ });
  }

  // Example buttons load their query into the editor and run it (without JS they submit
  // their form, which reloads this page with ?query=).
  document.querySelectorAll("#examples button.example").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      run(button.value);
      mount.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  });

  // Entity IRIs in the results open their pages on this service, wherever it runs: the
  // IRIs stay https://w3id.org/eurasia-kg/id/..., the links go to /id/... here.
  var entities = "https://w3id.org/eurasia-kg/id/";
  mount.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (link && link.href.indexOf(entities) === 0) {
      event.preventDefault();
      window.location.href = "/id/" + link.href.slice(entities.length);
    }
  });

  // A link here with ?query= (for instance "Query this entity") runs at once.
  if (new URLSearchParams(window.location.search).has("query")) run();
})();
