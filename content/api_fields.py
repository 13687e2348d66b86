"""Wagtail API v2 serializers that read prefetched relations (the built-in ones query once per item)."""

from rest_framework import serializers

from content.documents import document_api_representation


class TaxonomyField(serializers.Field):
    """A many-to-many to Thematique or Public as [{"name", "slug"}], from the prefetch cache."""

    def to_representation(self, manager):
        return [{"name": item.name, "slug": item.slug} for item in manager.all()]


class TagsField(serializers.Field):
    """Tag names, sorted, from the prefetch cache (wagtail's TagsField runs values_list() per item)."""

    def to_representation(self, manager):
        return sorted(tag.name for tag in manager.all())


class PublicDocumentField(serializers.Field):
    """The document's title, URL, format and size; null when it is missing or in a private collection."""

    def to_representation(self, document):
        return document_api_representation(document)
