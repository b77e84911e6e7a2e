"""The Vrijetijdsnet Django project: settings, URLs and the site's own pages."""
