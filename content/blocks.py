"""StreamField blocks shared by every page, each rendered with a DSFR component (templates in content/blocks/)."""

import re
from urllib.parse import parse_qs, urlparse

from django.forms.utils import ErrorList
from django.utils.text import slugify
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from common.links import validate_link
from content.documents import document_api_representation
from content.enums import HeadingLevel


class LinkURLBlock(blocks.CharBlock):
    """A path of this site (/ressources/) or an external address (https://…)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", "Format attendu : /chemin/ pour une page du site, ou https://… pour un autre site"
        )
        super().__init__(max_length=500, validators=[validate_link], **kwargs)


PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
SHORT_TEXT_FEATURES = ["bold", "italic", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section title; level 2 titles also build the page summary."""

    text = blocks.CharBlock(label="Titre", max_length=200)
    level = blocks.ChoiceBlock(label="Niveau", choices=HeadingLevel.choices, default=HeadingLevel.H2)

    class Meta:
        icon = "title"
        label = "Titre"
        template = "content/blocks/heading.html"

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "level": value["level"], "anchor": slugify(value["text"])}


class CaptionedImageBlock(blocks.StructBlock):
    """An image with its alternative text (or marked decorative) and an optional caption."""

    image = ImageBlock(label="Image")
    caption = blocks.CharBlock(label="Légende", required=False, max_length=250)

    class Meta:
        icon = "image"
        label = "Image"
        template = "content/blocks/image.html"

    def get_api_representation(self, value, context=None):
        image = value["image"]
        if image is None:
            return None
        rendition = image.get_rendition("max-1200x800")
        return {
            "id": image.pk,
            "title": image.title,
            "alt": "" if getattr(image, "decorative", False) else getattr(image, "contextual_alt_text", image.title),
            "url": rendition.url,
            "width": rendition.width,
            "height": rendition.height,
            "caption": value["caption"],
        }


class CalloutBlock(blocks.StructBlock):
    """DSFR « mise en avant » (fr-callout), with an optional button."""

    title = blocks.CharBlock(label="Titre", required=False, max_length=150)
    text = blocks.RichTextBlock(label="Texte", features=SHORT_TEXT_FEATURES)
    link_label = blocks.CharBlock(label="Libellé du bouton", required=False, max_length=80)
    link_page = blocks.PageChooserBlock(label="Page du bouton", required=False)
    link_url = LinkURLBlock(label="ou adresse du bouton", required=False)

    class Meta:
        icon = "pick"
        label = "Mise en avant"
        template = "content/blocks/callout.html"

    def clean(self, value):
        value = super().clean(value)
        if value["link_label"] and not (value["link_page"] or value["link_url"]):
            raise blocks.StructBlockValidationError(
                {"link_page": ErrorList(["Choisissez la page ou l'adresse vers laquelle mène le bouton."])}
            )
        return value


class HighlightBlock(blocks.StructBlock):
    """DSFR « mise en exergue » (fr-highlight)."""

    text = blocks.RichTextBlock(label="Texte", features=SHORT_TEXT_FEATURES)
    size = blocks.ChoiceBlock(
        label="Taille du texte",
        choices=[("", "Normale"), ("fr-text--sm", "Petite"), ("fr-text--lg", "Grande")],
        required=False,
    )

    class Meta:
        icon = "openquote"
        label = "Mise en exergue"
        template = "content/blocks/highlight.html"


class QuoteBlock(blocks.StructBlock):
    """DSFR citation (fr-quote)."""

    text = blocks.TextBlock(label="Citation", max_length=800)
    author = blocks.CharBlock(label="Auteur", required=False, max_length=150)
    source = blocks.CharBlock(label="Source ou fonction", required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = "Citation"
        template = "content/blocks/quote.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="Question", max_length=250)
    answer = blocks.RichTextBlock(label="Réponse", features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "help"
        label = "Question"


class FaqBlock(blocks.StructBlock):
    """Questions and answers as a DSFR accordion group."""

    heading = blocks.CharBlock(label="Titre du groupe de questions", required=False, max_length=200)
    items = blocks.ListBlock(QuestionBlock(), label="Questions", min_num=1)

    class Meta:
        icon = "help"
        label = "Questions fréquentes (accordéon)"
        template = "content/blocks/faq.html"


class CardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=120)
    text = blocks.TextBlock(label="Description", required=False, max_length=300)
    page = blocks.PageChooserBlock(label="Page liée", required=False)
    url = LinkURLBlock(label="ou adresse", required=False)

    class Meta:
        icon = "link"
        label = "Carte"

    def clean(self, value):
        value = super().clean(value)
        if bool(value["page"]) == bool(value["url"]):
            raise blocks.StructBlockValidationError(
                {"page": ErrorList(["Choisissez une page du site ou une adresse (l'une des deux)."])}
            )
        return value

    def get_api_representation(self, value, context=None):
        page = value["page"]
        return {
            "title": value["title"],
            "text": value["text"],
            "url": page.url if page else value["url"],
            "page": page.pk if page else None,
        }


class CardsBlock(blocks.StructBlock):
    """A grid of DSFR cards linking to pages or external sites."""

    heading = blocks.CharBlock(label="Titre de la grille", required=False, max_length=200)
    cards = blocks.ListBlock(CardBlock(), label="Cartes", min_num=1, max_num=12)

    class Meta:
        icon = "table"
        label = "Cartes"
        template = "content/blocks/cards.html"


class PublicDocumentChooserBlock(DocumentChooserBlock):
    """A document; in the API, its title, URL and format (nothing at all for a private one)."""

    def get_api_representation(self, value, context=None):
        return document_api_representation(value)


class DocumentBlock(blocks.StructBlock):
    """A download link with the file's format and size (DSFR fr-link--download)."""

    document = PublicDocumentChooserBlock(label="Document")
    title = blocks.CharBlock(
        label="Intitulé du lien", required=False, max_length=200, help_text="Par défaut : titre du document."
    )

    class Meta:
        icon = "doc-full"
        label = "Document à télécharger"
        template = "content/blocks/document.html"


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_DAILYMOTION_ID = re.compile(r"^[A-Za-z0-9]{5,12}$")
_VIMEO_ID = re.compile(r"^[0-9]{4,12}$")


def video_embed(url: str) -> tuple[str, str] | None:
    """(provider name, player URL) for a YouTube, Dailymotion or Vimeo link; None for anything else.

    Players are built here rather than through oEmbed: no network call when saving, and the CSP lists these hosts.
    """
    parsed = urlparse(url or "")
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    path = parsed.path.strip("/").split("/")
    if host in ("youtube.com", "youtube-nocookie.com"):
        video_id = parse_qs(parsed.query).get("v", [""])[0] if path == ["watch"] else path[-1]
        if path[0] in ("watch", "embed", "shorts", "live") and _YOUTUBE_ID.match(video_id):
            return "YouTube", f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host == "youtu.be" and _YOUTUBE_ID.match(path[0]):
        return "YouTube", f"https://www.youtube-nocookie.com/embed/{path[0]}"
    elif host == "dailymotion.com" and len(path) >= 2 and path[-2] == "video":
        video_id = path[-1].split("_")[0]
        if _DAILYMOTION_ID.match(video_id):
            return "Dailymotion", f"https://www.dailymotion.com/embed/video/{video_id}"
    elif host == "dai.ly" and _DAILYMOTION_ID.match(path[0]):
        return "Dailymotion", f"https://www.dailymotion.com/embed/video/{path[0]}"
    elif host in ("vimeo.com", "player.vimeo.com") and _VIMEO_ID.match(path[-1]):
        return "Vimeo", f"https://player.vimeo.com/video/{path[-1]}"
    return None


class VideoBlock(blocks.StructBlock):
    """An embedded video with its required transcription (RGAA 4.1)."""

    title = blocks.CharBlock(label="Titre de la vidéo", max_length=200)
    url = blocks.URLBlock(
        label="Adresse de la vidéo",
        help_text="Format attendu : lien YouTube, Dailymotion ou Vimeo (ex. https://www.dailymotion.com/video/x8abcd).",
    )
    caption = blocks.CharBlock(label="Légende", required=False, max_length=250)
    transcription = blocks.RichTextBlock(
        label="Transcription",
        features=PARAGRAPH_FEATURES,
        help_text="Obligatoire : le texte intégral de la vidéo, pour les personnes qui ne peuvent pas l'écouter.",
    )

    class Meta:
        icon = "media"
        label = "Vidéo"
        template = "content/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if video_embed(value["url"]) is None:
            raise blocks.StructBlockValidationError(
                {"url": ErrorList(["Seules les vidéos YouTube, Dailymotion et Vimeo peuvent être intégrées."])}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["provider"], context["embed_url"] = video_embed(value["url"]) or ("", "")
        return context

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        representation["embed_url"] = (video_embed(value["url"]) or ("", ""))[1]
        return representation


class TableBlock(blocks.StructBlock):
    """A data table with its caption (RGAA: every table has a title)."""

    caption = blocks.CharBlock(label="Titre du tableau", max_length=200)
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label="Texte")),
            ("number", blocks.DecimalBlock(label="Nombre")),
            ("rich_text", blocks.RichTextBlock(label="Texte enrichi", features=SHORT_TEXT_FEATURES)),
        ],
        label="Tableau",
    )

    class Meta:
        icon = "table"
        label = "Tableau"
        template = "content/blocks/table.html"

    def get_api_representation(self, value, context=None):
        table = value["table"]
        return {
            "caption": value["caption"],
            "columns": [column["heading"] for column in table.columns],
            "rows": [[cell.block.get_api_representation(cell.value, context) for cell in row] for row in table.rows],
        }


class SitemapBlock(blocks.StaticBlock):
    """The live page tree and the site's applications, for the « Plan du site » page."""

    class Meta:
        icon = "list-ul"
        label = "Plan du site (généré automatiquement)"
        admin_text = "Affiche l'arborescence des pages publiées et les services du site."
        template = "content/blocks/sitemap.html"


class BodyBlock(blocks.StreamBlock):
    """The content of every page body."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label="Paragraphe", features=PARAGRAPH_FEATURES, icon="pilcrow")
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    highlight = HighlightBlock()
    quote = QuoteBlock()
    faq = FaqBlock()
    cards = CardsBlock()
    document = DocumentBlock()
    video = VideoBlock()
    table = TableBlock()
    sitemap = SitemapBlock()

    class Meta:
        block_counts = {"sitemap": {"max_num": 1}}
