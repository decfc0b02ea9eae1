"""The table rows of one list page alone: the median time of core.tables.render_rows over the page's 50
rows (already fetched), in the page's own context, with the production settings.

    /work/bench/serve.sh's environment (DJANGO_ENV=production, POSTGRES_*, CACHE_URL...) \
        .venv/bin/python bench/table_rows.py county /labor/payroll/ [--repeat 30] [--profile]

The page is requested once through Django's test client (its view, table and context kept), then a fresh
table of the same page is built and its rows rendered `--repeat` times; only the rendering is timed.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanyuan.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.template import RequestContext
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from core import tables

    setup_test_environment()  # the response keeps its context and templates
    client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["testserver"])[0], HTTP_X_FORWARDED_PROTO="https",
                    REMOTE_ADDR="127.0.0.1")
    client.force_login(User.objects.get(username=args.username))
    response = client.get(args.path, secure=True)
    assert response.status_code == 200, response.status_code
    view, contexts = response.context["view"], response.context
    page_context = (contexts if hasattr(contexts, "flatten") else contexts[0]).flatten()

    def once():
        table = view.get_table(**view.get_table_kwargs())
        context = RequestContext(view.request, {**page_context, "table": table})
        with context.bind_template(response.templates[0]):  # as inside the page's own render
            table.context = context
            table.before_render(view.request)
            list(table.paginated_rows)  # the rows' queries, not timed
            start = time.perf_counter()
            tables.render_rows(table)
            return time.perf_counter() - start

    for _ in range(3):
        once()
    times = [once() for _ in range(args.repeat)]
    print(f"{args.username} {args.path}: render_rows median {statistics.median(times) * 1000:.2f} ms, "
          f"min {min(times) * 1000:.2f} ms ({args.repeat} renders)")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            once()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
