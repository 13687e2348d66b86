from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Site et ressources"

    def ready(self):
        from wagtail.models import Collection, CollectionViewRestriction
        from wagtail.signals import page_published, page_unpublished

        from content.documents import forget_held_documents, forget_restricted_collections
        from content.models import Public, SiteIdentity, Thematique
        from content.selectors import forget_cached_listings
        from content.signals import forget_key_figures, reindex_after_publish
        from directory import selectors as directory_selectors

        page_published.connect(reindex_after_publish, dispatch_uid="content_reindex_after_publish")
        page_unpublished.connect(forget_cached_listings, dispatch_uid="content_forget_on_unpublish")
        for model in (Thematique, Public):
            post_save.connect(forget_cached_listings, sender=model, dispatch_uid=f"content_forget_{model.__name__}")
            post_delete.connect(
                forget_cached_listings, sender=model, dispatch_uid=f"content_forget_del_{model.__name__}"
            )
        # Documents follow moderation: any page or revision change may hold or release one.
        page_published.connect(forget_held_documents, dispatch_uid="content_held_on_publish")
        page_unpublished.connect(forget_held_documents, dispatch_uid="content_held_on_unpublish")
        post_save.connect(forget_held_documents, dispatch_uid="content_held_on_save")
        post_delete.connect(forget_held_documents, dispatch_uid="content_held_on_delete")
        post_save.connect(SiteIdentity.forget, sender=SiteIdentity, dispatch_uid="content_forget_site_identity")
        for name, signal in (("save", post_save), ("delete", post_delete)):
            for model in (Collection, CollectionViewRestriction):
                uid = f"content_restricted_{name}_{model.__name__}"
                signal.connect(forget_restricted_collections, sender=model, dispatch_uid=uid)
            for model in directory_selectors.KEY_COUNT_MODELS:
                signal.connect(
                    forget_key_figures, sender=model, dispatch_uid=f"content_figures_{name}_{model.__name__}"
                )
