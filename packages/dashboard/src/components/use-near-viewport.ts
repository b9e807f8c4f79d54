import { type RefObject, useEffect, useState } from "react";

/**
 * True once `ref`'s element has come within `margin` of the viewport (and from then on), as a lazily loaded image
 * is: what is drawn below the fold is asked for when the reader scrolls towards it, not on every page open.
 */
export function useNearViewport(ref: RefObject<Element | null>, margin = "300px"): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (near || !el) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setNear(true);
      },
      { rootMargin: `${margin} 0px` },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, margin, near]);
  return near;
}
