"""Text stage: normalisation with an offset map, sentence/clause segmentation, language id."""
