// Starts Scalar's API reference with the configuration the server put in the page.
const config = JSON.parse(document.getElementById('docs-config').textContent)
window.Scalar.createApiReference('#reference', config)
