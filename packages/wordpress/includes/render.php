<?php
/**
 * The server-side HTML of the three elements, shared by the shortcodes, the blocks, the other plugins'
 * content and the course box. The quote, the question and the offer are the page's own HTML; a link
 * after it (`slot="fallback"`) does the job for readers without JavaScript, and is hidden once the
 * element is upgraded. Feeds and AMP pages get the text and a plain link instead of the element.
 *
 * Every value arrives as plain text (chorus_plain) and is escaped here, for its context, on output.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

/**
 * An element's arguments, as a theme or plugin wants them (before they are made safe and escaped).
 *
 * @param string $tag  quote-to-tweet, comment-prompt or course-cta.
 * @param array  $args What the shortcode, block or other plugin's content gave.
 */
function chorus_render_args( $tag, array $args ) {
	/**
	 * Filters the arguments of an element Chorus renders (from a shortcode, a block, another plugin's
	 * content or the course box), for example to give every quote a hashtag. See chorus_render_quote(),
	 * chorus_render_comment_prompt() and chorus_render_course() for the keys.
	 *
	 * @param array  $args The arguments.
	 * @param string $tag  The element: quote-to-tweet, comment-prompt or course-cta.
	 */
	$filtered = apply_filters( 'chorus_render_args', $args, $tag );
	return is_array( $filtered ) ? $filtered : $args;
}

/** Whether the page is read where no element can run: a feed, or an AMP page. */
function chorus_is_plain_context() {
	if ( is_feed() ) {
		return true;
	}
	if ( function_exists( 'amp_is_request' ) ) {
		return (bool) amp_is_request();
	}
	return function_exists( 'is_amp_endpoint' ) && is_amp_endpoint();
}

/**
 * ` name="value"` for each attribute: true prints the bare name, null, false and '' print nothing.
 * Keys listed in `$urls` are escaped as URLs (http and https only), the others as attribute text.
 */
function chorus_attributes( array $attributes, array $urls = array() ) {
	$html = '';
	foreach ( $attributes as $name => $value ) {
		if ( null === $value || false === $value || '' === $value ) {
			continue;
		}
		if ( true === $value ) {
			$html .= ' ' . $name;
		} elseif ( in_array( $name, $urls, true ) ) {
			$html .= ' ' . $name . '="' . esc_url( $value, array( 'http', 'https' ) ) . '"';
		} else {
			$html .= ' ' . $name . '="' . esc_attr( $value ) . '"';
		}
	}
	return $html;
}

/** What an empty element renders: nothing a reader sees, a comment an editor finds in the source. */
function chorus_empty_comment( $tag ) {
	/* translators: %s: an element's tag name, such as quote-to-tweet. */
	$message = sprintf( __( 'Chorus: this %s has no text, so it is not shown.', 'chorus' ), $tag );
	return '<!-- ' . esc_html( str_replace( '--', '- -', $message ) ) . ' -->';
}

/** The page a quote shares by default: the post it is in, else the address requested. */
function chorus_current_url() {
	$post = get_post();
	if ( $post && 'publish' === get_post_status( $post ) ) {
		return (string) get_permalink( $post );
	}
	global $wp;
	return home_url( isset( $wp->request ) ? user_trailingslashit( $wp->request ) : '/' );
}

/** A class list of the plugin's own class and the given ones, each a valid class name. */
function chorus_classes( $own, $extra = '' ) {
	$classes = array( $own );
	foreach ( preg_split( '/\s+/', (string) $extra, -1, PREG_SPLIT_NO_EMPTY ) as $class ) {
		$class = sanitize_html_class( $class );
		if ( '' !== $class ) {
			$classes[] = $class;
		}
	}
	return implode( ' ', array_unique( $classes ) );
}

/**
 * A `<quote-to-tweet>`.
 *
 * @param array $args {
 *     @type string      $quote    The quote shown (plain text).
 *     @type string      $text     The text shared, when not the quote.
 *     @type string      $url      The page shared: '' for the post, 'none' for no link, else an http(s) URL.
 *     @type string|null $via      An X handle; null for the site's default, '' for none.
 *     @type string      $related  X handles X suggests following after the post, separated by commas.
 *     @type string      $hashtags Tags, separated by spaces or commas.
 *     @type string|null $networks Space-separated networks; null for the site's default.
 *     @type string      $label    The first link's text.
 *     @type bool        $nofollow Whether the links are rel="nofollow".
 *     @type string      $id       The element's id (its instance in reports).
 *     @type string      $class    More classes (other plugins' class names, kept as CSS hooks).
 * }
 */
function chorus_render_quote( array $args ) {
	$args  = chorus_render_args( 'quote-to-tweet', $args );
	$args  = array_merge(
		array(
			'quote'    => '',
			'text'     => '',
			'url'      => '',
			'via'      => null,
			'related'  => '',
			'hashtags' => '',
			'networks' => null,
			'label'    => '',
			'nofollow' => false,
			'id'       => '',
			'class'    => '',
		),
		$args
	);
	$quote = chorus_plain( $args['quote'] );
	$text  = chorus_plain( $args['text'] );
	if ( '' === $quote ) {
		$quote = $text;
	}
	if ( '' === $quote ) {
		return chorus_empty_comment( 'quote-to-tweet' );
	}
	if ( $text === $quote ) {
		$text = '';
	}

	$none     = 'none' === strtolower( trim( (string) $args['url'] ) );
	$url      = $none ? '' : chorus_http_url( $args['url'] );
	$via      = null === $args['via'] ? chorus_default_handle() : chorus_sanitize_handle( $args['via'] );
	$related  = chorus_related( $args['related'] );
	$hashtags = chorus_hashtags( $args['hashtags'] );
	$label    = chorus_plain( $args['label'] );
	$networks = null === $args['networks'] ? (array) chorus_settings()['networks'] : preg_split( '/[\s,]+/', strtolower( chorus_plain( $args['networks'] ) ), -1, PREG_SPLIT_NO_EMPTY );
	$networks = array_values( array_intersect( $networks, CHORUS_NETWORKS ) );
	$shared   = $none ? '' : ( '' !== $url ? $url : chorus_current_url() );
	$intent   = chorus_x_intent( '' !== $text ? $text : $quote, $shared, $via, $hashtags, $related );
	$rel      = 'noopener noreferrer' . ( $args['nofollow'] ? ' nofollow' : '' );
	$button   = '' !== $label ? $label : __( 'Click to Tweet', 'chorus' );

	if ( chorus_is_plain_context() ) {
		return '<blockquote class="chorus-quote"><p>' . esc_html( $quote ) . '</p><p><a href="' . esc_url( $intent ) . '" rel="' . esc_attr( $rel ) . '">' . esc_html( $button ) . '</a></p></blockquote>';
	}

	$attributes = array(
		'id'       => sanitize_html_class( $args['id'] ),
		'class'    => chorus_classes( 'chorus-quote', $args['class'] ),
		'text'     => $text,
		// The post's own link, rather than the element's default (the page's), so that a quote on an archive page shares its post.
		'url'      => $none ? 'none' : $shared,
		'via'      => $via,
		'related'  => $related,
		'hashtags' => $hashtags,
		'networks' => array( 'x' ) === $networks || ! $networks ? '' : implode( ' ', $networks ),
		'label'    => $label,
		'nofollow' => (bool) $args['nofollow'],
	);
	return chorus_needs_script() . '<quote-to-tweet' . chorus_attributes( $attributes, $none ? array() : array( 'url' ) ) . '>' . esc_html( $quote )
		. ' <a slot="fallback" class="chorus-fallback" href="' . esc_url( $intent ) . '" target="_blank" rel="' . esc_attr( $rel ) . '">' . esc_html( $button ) . '</a></quote-to-tweet>';
}

/**
 * A `<comment-prompt>`. Its `for` is the site's comment form (`#respond`) when none is given and the
 * post takes comments.
 *
 * @param array $args question, for (a selector; null for the default), email, inline, label, maxlength, id, class.
 */
function chorus_render_comment_prompt( array $args ) {
	$args     = chorus_render_args( 'comment-prompt', $args );
	$args     = array_merge(
		array(
			'question'  => '',
			'for'       => null,
			'email'     => '',
			'inline'    => false,
			'label'     => '',
			'maxlength' => '',
			'id'        => '',
			'class'     => '',
		),
		$args
	);
	$question = chorus_plain( $args['question'] );
	if ( '' === $question ) {
		return chorus_empty_comment( 'comment-prompt' );
	}
	$email = is_email( chorus_plain( $args['email'] ) );
	$email = $email ? $email : '';
	$for   = null === $args['for'] ? null : substr( chorus_plain( $args['for'] ), 0, 200 );
	$open  = get_post() && comments_open();
	if ( null === $for ) {
		$for = $open && '' === $email ? '#respond' : '';
	}
	$maxlength = absint( $args['maxlength'] );
	$label     = chorus_plain( $args['label'] );

	// The reader's way to answer without JavaScript: the form on this page, else an email.
	$fallback = '';
	if ( preg_match( '/^#[A-Za-z][\w-]*$/', $for ) ) {
		$fallback = '#' . substr( $for, 1 );
		$button   = '' !== $label ? $label : __( 'Leave a comment', 'chorus' );
	} elseif ( '' !== $email ) {
		$fallback = 'mailto:' . $email . '?subject=' . rawurlencode( sprintf( /* translators: %s: the post's title. */ __( 'Re: %s', 'chorus' ), wp_strip_all_tags( get_the_title() ) ) );
		$button   = '' !== $label ? $label : __( 'Reply by email', 'chorus' );
	}

	if ( chorus_is_plain_context() ) {
		$html = '<p class="chorus-question"><strong>' . esc_html( $question ) . '</strong>';
		if ( $open ) {
			$html .= ' <a href="' . esc_url( get_permalink() . '#respond' ) . '">' . esc_html( '' !== $label ? $label : __( 'Leave a comment', 'chorus' ) ) . '</a>';
		}
		return $html . '</p>';
	}

	$attributes = array(
		'id'        => sanitize_html_class( $args['id'] ),
		'class'     => chorus_classes( 'chorus-prompt', $args['class'] ),
		'for'       => $for,
		'email'     => $email,
		'inline'    => (bool) $args['inline'],
		'label'     => $label,
		'maxlength' => $maxlength ? (string) min( 4000, $maxlength ) : '',
	);
	$html = chorus_needs_script() . '<comment-prompt' . chorus_attributes( $attributes ) . '>' . esc_html( $question );
	if ( '' !== $fallback ) {
		// A slot the element does not have: shown before it upgrades, never after.
		$html .= ' <a slot="fallback" class="chorus-fallback" href="' . esc_url( $fallback, array( 'http', 'https', 'mailto' ) ) . '">' . esc_html( $button ) . '</a>';
	}
	return $html . '</comment-prompt>';
}

/**
 * A `<course-cta>`: image, heading and text (the order that lets chorus.js reserve its height).
 *
 * @param array $args href, label, campaign, no_utm, dismissible, dismiss_days, heading, text, image (an
 *                    attachment id or an http(s) URL), image_width, image_height, image_alt, id, class.
 */
function chorus_render_course( array $args ) {
	$args    = chorus_render_args( 'course-cta', $args );
	$args    = array_merge(
		array(
			'href'         => '',
			'label'        => '',
			'campaign'     => '',
			'no_utm'       => false,
			'dismissible'  => false,
			'dismiss_days' => '',
			'heading'      => '',
			'text'         => '',
			'image'        => '',
			'image_width'  => '',
			'image_height' => '',
			'image_alt'    => '',
			'id'           => '',
			'class'        => '',
		),
		$args
	);
	$heading = chorus_plain( $args['heading'] );
	$text    = chorus_plain( $args['text'] );
	$href    = chorus_http_url( $args['href'] );
	$label   = chorus_plain( $args['label'] );
	if ( '' === $heading && '' === $text ) {
		return chorus_empty_comment( 'course-cta' );
	}
	$button = '' !== $label ? $label : __( 'Find out more', 'chorus' );

	if ( chorus_is_plain_context() ) {
		$html = '<p class="chorus-course">' . ( '' !== $heading ? '<strong>' . esc_html( $heading ) . '</strong><br />' : '' ) . esc_html( $text );
		if ( '' !== $href ) {
			$html .= '<br /><a href="' . esc_url( $href ) . '">' . esc_html( $button ) . '</a>';
		}
		return $html . '</p>';
	}

	$days       = absint( $args['dismiss_days'] );
	$attributes = array(
		'id'           => sanitize_html_class( $args['id'] ),
		'class'        => chorus_classes( 'chorus-course', $args['class'] ),
		'href'         => $href,
		'label'        => $label,
		'campaign'     => sanitize_title( chorus_plain( $args['campaign'] ) ),
		'no-utm'       => (bool) $args['no_utm'],
		'dismissible'  => (bool) $args['dismissible'],
		'dismiss-days' => $days ? (string) $days : '',
	);
	$html = chorus_needs_script() . '<course-cta' . chorus_attributes( $attributes, array( 'href' ) ) . '>' . chorus_course_image( $args );
	if ( '' !== $heading ) {
		// Not an <h2>: a theme's heading styles would apply once the element upgrades (::slotted rules lose
		// to the page's) but not before (the reserve CSS wins), and the card would grow. A heading all the same.
		$html .= '<strong slot="heading" role="heading" aria-level="2">' . esc_html( $heading ) . '</strong>';
	}
	if ( '' !== $text ) {
		$html .= '<p>' . esc_html( $text ) . '</p>';
	}
	if ( '' !== $href ) {
		// A slot the element does not have: shown before it upgrades, never after.
		$html .= '<a slot="fallback" class="chorus-fallback" href="' . esc_url( $href ) . '">' . esc_html( $button ) . '</a>';
	}
	return $html . '</course-cta>';
}

/** The course box's image: a media library attachment (with its sizes), or a URL with the given size. */
function chorus_course_image( array $args ) {
	$image = $args['image'];
	$alt   = chorus_plain( $args['image_alt'] );
	if ( is_numeric( $image ) && (int) $image > 0 ) {
		$html = wp_get_attachment_image( (int) $image, 'medium', false, array( 'slot' => 'image', 'loading' => 'lazy', 'alt' => $alt ) );
		return $html ? $html : '';
	}
	$src = chorus_http_url( $image );
	if ( '' === $src ) {
		return '';
	}
	$width  = absint( $args['image_width'] );
	$height = absint( $args['image_height'] );
	if ( ! $width || ! $height ) {
		$id   = attachment_url_to_postid( $src );
		$meta = $id ? wp_get_attachment_metadata( $id ) : false;
		if ( is_array( $meta ) && ! empty( $meta['width'] ) && ! empty( $meta['height'] ) ) {
			$width  = (int) $meta['width'];
			$height = (int) $meta['height'];
		}
	}
	return '<img slot="image" src="' . esc_url( $src ) . '"' . chorus_attributes(
		array(
			'width'   => $width ? (string) $width : '',
			'height'  => $height ? (string) $height : '',
			'loading' => 'lazy',
		)
	) . ' alt="' . esc_attr( $alt ) . '" />';
}
