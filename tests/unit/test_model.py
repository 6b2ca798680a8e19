"""The loaded model is plain data: it pickles, and rendering from a copy gives the same page."""

import pickle

from brandcolumn.build.pipeline import load_site
from brandcolumn.core.config import load_config
from brandcolumn.core.errors import Problems
from brandcolumn.core.output import Stage, copy_static
from brandcolumn.pages.render import make_environment, render_route
from brandcolumn.pages.routes import iter_routes


def test_site_pickles_and_renders_the_same_from_a_copy(sample_site, tmp_path):
    config = load_config(sample_site)
    problems = Problems()
    site, _ = load_site(config, problems)
    routes = iter_routes(site, config, problems)
    assert problems.errors == []
    copy = pickle.loads(pickle.dumps(site))
    env = make_environment(config, copy_static(config.theme_dirs, Stage(tmp_path, previous=None).write))
    for route in routes:
        assert render_route(env, copy, config, route, routes) == render_route(env, site, config, route, routes)
