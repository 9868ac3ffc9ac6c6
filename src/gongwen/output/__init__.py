"""Writing results: the one atomic write (:mod:`.atomic`), the merged print file (:mod:`.merge`)."""

from gongwen.output.atomic import atomic_file, atomic_write
from gongwen.output.merge import LetterMerger, merge_letters

__all__ = ["LetterMerger", "atomic_file", "atomic_write", "merge_letters"]
