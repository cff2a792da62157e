"""``formcheck serve``: the clinic web app (physiotherapist's pages, patient's live page).

Everything analytical is the CLI's own code: recorded clips go through
:func:`formcheck.pipeline.analyze_clip` on the batch worker pool, live frames
through the analyzer's ``step()`` and the live coach. This package only adds the
database, the pages and the transport.
"""
